/** Runs the built CLI the way a user or a CI job does: a real process, no terminal unless tmux gives it one. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TIMEOUTS } from './timeouts.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(repoRoot, 'bin/create-mcp-sampling-server.cjs');
/** The complete team template kept under test (and shown in docs/template-authoring.md). */
export const exampleTemplate = path.join(repoRoot, 'examples/team-template');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** This run's folder for scratch space; test/process-guard.ts removes it when the run ends. */
export function runFolder(run = process.env.CMSS_TEST_RUN ?? 'outside-a-run'): string {
  return path.join(tmpdir(), `cmss-test-run-${run}`);
}

/** A fresh folder to run in; the environment drops CI and npm's user agent so each test sets what it means. */
export function scratch(prefix = 'cmss-cli-'): string {
  const parent = runFolder();
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, prefix));
}

export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; bin?: string }): CliResult {
  const env = { ...process.env, ...options.env };
  if (!options.env || !('CI' in options.env)) delete env.CI;
  if (!options.env || !('npm_config_user_agent' in options.env)) delete env.npm_config_user_agent;
  const result = spawnSync(process.execPath, [options.bin ?? bin, ...args], {
    cwd: options.cwd,
    env,
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

/** A program on a real pseudo-terminal (tmux), typed at and read like a person would. */
export class Terminal {
  private static count = 0;
  readonly session = `cmss-${process.pid}-${Terminal.count++}`;

  constructor(command: string, cwd: string) {
    // The trailing sleep keeps the pane readable after the program exits; EXIT= marks its exit code.
    execFileSync('tmux', [
      'new-session', '-d', '-s', this.session, '-x', '120', '-y', '50', '-c', cwd,
      `env -u CI ${command}; echo EXIT=$?; sleep 60`,
    ]);
  }

  screen(): string {
    // -J joins lines the pane wrapped, so long output reads as it was printed.
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-t', this.session, '-S', '-200'], { encoding: 'utf8' });
  }

  /** Sends tmux key names ('Enter', 'Down', 'C-c') or literal text. */
  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, '-l', text]);
  }

  async waitFor(pattern: RegExp, timeoutMs = TIMEOUTS.terminalOutput): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async exitCode(timeoutMs = TIMEOUTS.terminalExit): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs);
    return Number(/EXIT=(\d+)/.exec(screen)![1]);
  }

  close(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session]);
  }
}
