/** What a generated server must answer in each scripted-host scenario of `verify`. */

export interface ScenarioReport {
  era: '2025-11-25' | '2026-07-28';
  behaviour: 'approve' | 'reject' | 'no-sampling';
  tool?: string;
  isError?: boolean;
  outcome?: string;
  text?: string;
  clientError?: string;
  /** How many sampling requests reached the host. */
  sampled: number;
}

/** The problem with a scenario's result, or undefined when the server behaved as it must. */
export function scenarioProblem(report: ScenarioReport): string | undefined {
  const expected = (() => {
    switch (report.behaviour) {
      case 'approve':
        return { outcome: 'ok', isError: false, sampled: 1 };
      case 'no-sampling':
        return { outcome: 'unsupported', isError: true, sampled: 0 };
      case 'reject':
        // A 2026-07-28 host that declines does not call the tool again, so the call ends at the host.
        return report.era === '2026-07-28' ? undefined : { outcome: 'rejected', isError: true, sampled: 1 };
    }
  })();
  if (!expected) {
    return report.clientError !== undefined && report.sampled === 1
      ? undefined
      : `expected the host to end the call after declining, got ${JSON.stringify(report)}`;
  }
  if (report.clientError !== undefined) return `the host failed: ${report.clientError}`;
  if (report.outcome !== expected.outcome || report.isError !== expected.isError || report.sampled !== expected.sampled) {
    return (
      `expected outcome ${expected.outcome} (isError ${expected.isError}, ${expected.sampled} sampling request(s)), ` +
      `got ${report.outcome ?? 'none'} (isError ${report.isError}, ${report.sampled}): ${report.text ?? ''}`
    );
  }
  return undefined;
}
