/** A generated project to point the host at: --tool ask --transport both, installed with npm and built. */
import path from 'node:path';
import { bin, scratch } from './cli.js';
import { runCommand } from './processes.js';

/** Generating and installing takes about 10 s here, building about 4 s. */
export const HOSTED_PROJECT_TIMEOUT_MS = 180_000;

export async function hostedProject(prefix: string): Promise<string> {
  const work = scratch(prefix);
  // npm installs the generator itself from this checkout (its devDependency), as `npm run host` needs.
  const generate = await runCommand(process.execPath, [bin, 'hosted', '--tool', 'ask', '--transport', 'both', '--no-git', '--yes'], { cwd: work });
  if (generate.code !== 0) throw new Error(`generating failed:\n${generate.output}`);
  const project = path.join(work, 'hosted');
  const build = await runCommand('npm', ['run', 'build', '--silent'], { cwd: project });
  if (build.code !== 0) throw new Error(`building the generated project failed:\n${build.output}`);
  return project;
}
