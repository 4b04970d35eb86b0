/** `update --check`: is there a newer generator, or a newer team template, than the one the project records? */
import type { ProjectRecord } from '../template-source/record.js';
import { latestSource } from '../template-source/spec.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';

export interface CheckResult {
  readonly generator: { readonly recorded: string; readonly latest: string; readonly newer: boolean };
  readonly template: { readonly recorded: string; readonly latest: string; readonly newer: boolean } | null;
  /** What could not be looked up (offline, say): the check then knows only the running version. */
  readonly unknown: string[];
}

/** The newest generator version: the registry's latest (as npm is configured), or this one if it is newer. */
async function latestGenerator(unknown: string[], semver: Pick<typeof import('semver'), 'gt' | 'valid'>): Promise<string> {
  const { execa } = await import('execa');
  const view = await execa('npm', ['view', GENERATOR_NAME, 'version', '--loglevel=error'], { reject: false, stdin: 'ignore' });
  const published = view.stdout.trim();
  if (view.exitCode !== 0 || !semver.valid(published)) {
    unknown.push(`the registry's latest ${GENERATOR_NAME} (npm view failed: ${view.stderr.trim().split('\n')[0] ?? `exit code ${view.exitCode}`})`);
    return GENERATOR_VERSION;
  }
  return semver.gt(published, GENERATOR_VERSION) ? published : GENERATOR_VERSION;
}

export async function checkForUpdates(record: ProjectRecord): Promise<CheckResult> {
  const semver = await import('semver');
  const unknown: string[] = [];
  const latest = await latestGenerator(unknown, semver);
  const recorded = record.generator.version;
  const generator = { recorded, latest, newer: semver.valid(recorded) ? semver.gt(latest, recorded) : true };
  let template: CheckResult['template'] = null;
  if (record.template) {
    const source = latestSource(record.template.source);
    const { loadTeamTemplate } = await import('../template-source/load.js');
    const current = await loadTeamTemplate(source, process.cwd());
    template = {
      recorded: record.template.source,
      latest: current.source,
      newer: current.source !== record.template.source || current.digest !== record.template.digest,
    };
  }
  return { generator, template, unknown };
}
