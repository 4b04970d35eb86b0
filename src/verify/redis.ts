/**
 * A throwaway redis-server on 127.0.0.1, for driving a `--store redis` project: its budgets live in Redis, so
 * the server cannot take a call without one. The `redis-server` binary must be installed.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface LocalRedis {
  url: string;
  close(): void;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts redis-server without persistence; rejects with how to install it when it is missing. */
export async function startLocalRedis(timeoutMs = 10_000): Promise<LocalRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server ${why}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(`could not be started (${error.message}): the project keeps its budgets in Redis; install it (apt-get install redis-server, brew install redis)`);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      resolve({ url: `redis://127.0.0.1:${port}`, close: () => child.kill('SIGKILL') });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with ${code}:\n${output.slice(-2000)}`);
    });
  });
}
