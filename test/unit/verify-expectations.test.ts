import { describe, expect, it } from 'vitest';
import { scenarioProblem, type ScenarioReport } from '../../src/verify/expectations.js';

const base = { tool: 'ask', text: 'x' };

describe('scenarioProblem', () => {
  it.each<ScenarioReport>([
    { ...base, era: '2025-11-25', behaviour: 'approve', isError: false, outcome: 'ok', sampled: 1 },
    { ...base, era: '2026-07-28', behaviour: 'approve', isError: false, outcome: 'ok', sampled: 1 },
    { ...base, era: '2025-11-25', behaviour: 'no-sampling', isError: true, outcome: 'unsupported', sampled: 0 },
    { ...base, era: '2025-11-25', behaviour: 'reject', isError: true, outcome: 'rejected', sampled: 1 },
    { era: '2026-07-28', behaviour: 'reject', clientError: 'User rejected sampling request', sampled: 1 },
  ])('accepts what the server must answer: %j', (report) => {
    expect(scenarioProblem(report)).toBeUndefined();
  });

  it.each<[ScenarioReport, RegExp]>([
    [{ ...base, era: '2025-11-25', behaviour: 'approve', isError: true, outcome: 'host_error', sampled: 1 }, /expected outcome ok .*got host_error/],
    [{ ...base, era: '2025-11-25', behaviour: 'no-sampling', isError: true, outcome: 'unsupported', sampled: 1 }, /0 sampling request/],
    [{ ...base, era: '2025-11-25', behaviour: 'reject', isError: false, outcome: 'ok', sampled: 1 }, /expected outcome rejected/],
    [{ era: '2025-11-25', behaviour: 'approve', clientError: 'connection refused', sampled: 0 }, /the host failed: connection refused/],
    [{ ...base, era: '2026-07-28', behaviour: 'reject', isError: false, outcome: 'ok', sampled: 1 }, /end the call after declining/],
  ])('names what went wrong: %j', (report, problem) => {
    expect(scenarioProblem(report)).toMatch(problem);
  });
});
