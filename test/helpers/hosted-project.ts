/** A generated project to point the host at: --tool ask --transport both, with its shared install, built. */
import { runCommand } from './processes.js';
import { generatedProject } from './projects.js';

export async function hostedProject(prefix: string): Promise<string> {
  // The project's devDependencies install the generator itself from this checkout, as `npm run host` needs.
  const project = await generatedProject(prefix, 'hosted', ['--tool', 'ask', '--transport', 'both', '--yes']);
  const build = await runCommand('npm', ['run', 'build', '--silent'], { cwd: project });
  if (build.code !== 0) throw new Error(`building the generated project failed:\n${build.output}`);
  return project;
}
