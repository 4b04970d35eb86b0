/** Installs the generated project's dependencies with the chosen package manager. */
import { StepError } from '../errors.js';
import type { Ui } from '../report/ui.js';
import { commandsFor, howToInstall, type PackageManager } from './package-manager.js';

const OUTPUT_TAIL_LINES = 30;

export function tail(output: string, lines = OUTPUT_TAIL_LINES): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function installDependencies(pm: PackageManager, projectDir: string, shownDir: string, ui: Ui): Promise<void> {
  const [command, ...args] = commandsFor(pm).install as [string, ...string[]];
  const retry = `cd ${shownDir} && ${commandsFor(pm).install.join(' ')}`;
  const progress = ui.progress(`Installing dependencies with ${pm}`);
  // Loaded here, not at start-up: a run with --no-install never pays for it.
  const { execa } = await import('execa');
  const result = await execa(command, args, { cwd: projectDir, all: true, reject: false, stdin: 'ignore' });
  if (result.exitCode === 0) {
    progress.succeed(`Installed dependencies with ${pm}`);
    return;
  }
  progress.fail(`Installing dependencies with ${pm} failed`);
  const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  throw new StepError(
    missing
      ? `${pm} is not installed (not found on PATH). The project is ready in ${shownDir}; to get ${pm}, ${howToInstall(pm)} (or pass --pm npm next time), then run: ${retry}`
      : `${pm} install exited with code ${result.exitCode ?? 'none'}${result.signal ? ` (${result.signal})` : ''}. ` +
          `The project is kept in ${shownDir}; fix the cause shown above, then run: ${retry}`,
    missing ? undefined : tail(result.all ?? ''),
  );
}
