/** The generator's `host` command in its scripted mode, run as a user's CI job would: a real process, one JSON line out. */
import type { ScriptedReport } from '../../src/host/scripted.js';
import { bin } from './cli.js';
import { runCommand } from './processes.js';

export type { ScriptedReport };

/**
 * Runs `create-mcp-sampling-server host <args>` in `projectDir` (so it uses the project's MCP client and, with
 * no `--` command or `--url`, starts the project's `node dist/index.js`) and returns its report. Exit 0 or 1
 * both carry a report (1: the tool answered with an error, or the call failed).
 */
export async function scriptedHost(projectDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptedReport> {
  const run = await runCommand(process.execPath, [bin, 'host', ...args], { cwd: projectDir, env });
  const line = run.stdout.trim().split('\n').at(-1);
  if ((run.code !== 0 && run.code !== 1) || !line) throw new Error(`host ${args.join(' ')} exited with ${run.code}:\n${run.output}`);
  const report = JSON.parse(line) as ScriptedReport;
  const succeeded = report.result !== undefined && report.result.isError !== true;
  if (run.code !== (succeeded ? 0 : 1)) throw new Error(`host exited with ${run.code} for the report ${line}`);
  return report;
}
