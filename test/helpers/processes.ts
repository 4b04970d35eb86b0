/** Real child processes for end-to-end tests: commands, and generated servers listening on 127.0.0.1. */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { TIMEOUTS } from './timeouts.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  /** stdout and stderr interleaved, for failure messages. */
  output: string;
}

/** `options.env` adds to this process's environment; a key set to undefined there is removed. */
export function runCommand(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // Colour codes would get in the way of matching output; CI would change what the child does.
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_loglevel: 'error', NO_COLOR: '1', ...options.env };
    delete env.CI;
    delete env.FORCE_COLOR;
    for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[key];
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function withConcurrency<T>(limit: number, items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

export interface RunningServer {
  url: string;
  /** What it has written to stderr so far: its log lines. */
  log(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a built generated server over HTTP on a free port; its `listening` log line gives the URL. */
export function startHttpServer(projectDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/index.js'], {
      cwd: projectDir,
      // A declined 2026-07-28 call is never retried and draining waits for it: tests that stop a server keep the grace short.
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SHUTDOWN_GRACE_SECONDS: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start listening within ${TIMEOUTS.serverListening / 1000} s; stderr:\n${stderr}`));
    }, TIMEOUTS.serverListening);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      for (const line of stderr.split('\n')) {
        if (!line.includes('"listening"')) continue;
        clearTimeout(timer);
        const { url } = JSON.parse(line) as { url: string };
        resolve({
          url,
          log: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
        return;
      }
    });
    child.on('error', reject);
  });
}

export interface Started {
  /** Everything printed so far, stdout and stderr interleaved. */
  readonly output: () => string;
  /** Ends the process and everything it started (its process group), and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running command in its own process group and resolves once its output matches `ready`
 * (a web UI saying where it listens, say). Rejects, with the output, if it exits or takes longer than
 * `timeoutMs` first; either way nothing it started is left running.
 */
export function startUntil(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
  ready: RegExp,
  timeoutMs: number,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_loglevel: 'error', NO_COLOR: '1', ...options.env };
    delete env.CI;
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let output = '';
    const stop = async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }, 5_000);
      await exited;
      clearTimeout(killer);
    };
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`${command} ${args.join(' ')} was not ready within ${timeoutMs / 1000} s:\n${output}`)));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (!ready.test(output)) return;
      clearTimeout(timer);
      resolve({ output: () => output, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited before it was ready:\n${output}`));
    });
  });
}

/** A TCP port free on 127.0.0.1 right now, for a tool that takes its port only as a number. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
