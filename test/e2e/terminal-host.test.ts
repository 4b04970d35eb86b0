/**
 * The generated project's terminal host (`npm run host`) on a real pseudo-terminal (tmux): a person
 * approving, editing and rejecting sampling requests, and pressing Ctrl-C. The generated project
 * tests the host over pipes itself; these tests live here so its users need no tmux. The project is
 * generated with --fallback openai-compatible, and its own suite (fallback tests included) must type-check and pass.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bin, scratch, Terminal } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';

const KEY = 'sk-e2e-never-shown-91b3';
let project: string;
let provider: Server;
let baseUrl: string;
const received: { messages: { role: string; content: string }[]; max_tokens: number }[] = [];
/** How long the fake provider takes to answer; raised by the Ctrl-C test. */
let answerDelayMs = 0;

beforeAll(async () => {
  const work = scratch('cmss-host-');
  const generate = await runCommand(process.execPath, [bin, 'hosted', '--tool', 'ask', '--fallback', 'openai-compatible', '--no-git'], { cwd: work });
  if (generate.code !== 0) throw new Error(`generating failed:\n${generate.output}`);
  project = path.join(work, 'hosted');
  const test = await runCommand('npm', ['test', '--silent'], { cwd: project });
  if (test.code !== 0) throw new Error(`the generated project's tests failed:\n${test.output}`);
  const typecheck = await runCommand('npm', ['run', 'typecheck', '--silent'], { cwd: project });
  if (typecheck.code !== 0) throw new Error(`the generated project's tests do not type-check:\n${typecheck.output}`);

  // A local OpenAI-compatible endpoint: the host's model for these tests.
  provider = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            model: 'e2e-local-model',
            choices: [{ message: { role: 'assistant', content: 'Hello from the local model.' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: 5 },
          }),
        );
      }, answerDelayMs);
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
}, 600_000);

afterAll(() => {
  provider?.closeAllConnections();
  provider?.close();
});

let terminal: Terminal | undefined;
afterEach(() => {
  terminal?.close();
  terminal = undefined;
  received.length = 0;
  answerDelayMs = 0;
});

/** Environment that makes the host answer with the local endpoint (read when a test starts, after beforeAll). */
const withProvider = () => `OPENAI_BASE_URL=${baseUrl} OPENAI_MODEL=e2e-local-model OPENAI_API_KEY=${KEY}`;
function host(args: string, env = ''): Terminal {
  return new Terminal(`${env} npm run --silent host -- ${args}`, project);
}

/** Node processes started from the generated project's dist/ (the host and the server it spawned). */
function projectProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(path.join(project, 'dist')) || (line.includes('dist/index.js') && line.includes(project)));
}

describe('terminal host on a real terminal', () => {
  it('2025 era: shows the request, and returns the answer the user types on approval', async () => {
    terminal = host(`--answer type ask '{"prompt":"Say hello"}'`);
    await terminal.waitFor(/Send this request\? \[a\]pprove, \[e\]dit, \[r\]eject\?/);
    const screen = terminal.screen();
    expect(screen).toMatch(/User message:\n\s+Say hello/);
    expect(screen).toMatch(/maxTokens: 1024 {3}estimated input: \d+ tokens {3}worst case: \d+ tokens/);
    expect(screen).toMatch(/Model preferences: hints \(none\); priorities cost 0\.5, speed 0\.5, intelligence 0\.5/);
    terminal.type('a');
    terminal.keys('Enter');
    await terminal.waitFor(/an empty line ends it:\n> $/m);
    terminal.type('Hello, typed by a person.');
    terminal.keys('Enter', 'Enter');

    expect(await terminal.exitCode()).toBe(0);
    expect(terminal.screen()).toMatch(/── Tool result ──\nHello, typed by a person\.\n\(outcome=ok reachedModel=yes source=host model=typed-by-user/);
  });

  it('2026 era: an edited request goes to the configured model, and its key never appears', async () => {
    terminal = host(`--era 2026 ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Answered by: OpenAI-compatible endpoint http:\/\/127\.0\.0\.1:\d+\/v1, model e2e-local-model/);
    terminal.type('e');
    terminal.keys('Enter');
    await terminal.waitFor(/New text for the user message \(Enter keeps it\): $/m);
    terminal.type('Say goodbye instead');
    terminal.keys('Enter');
    await terminal.waitFor(/maxTokens \(Enter keeps 1024\): $/m);
    terminal.type('64');
    terminal.keys('Enter');
    await terminal.waitFor(/maxTokens: 64 {3}estimated input/);
    terminal.type('a');
    terminal.keys('Enter');

    expect(await terminal.exitCode()).toBe(0);
    const screen = terminal.screen();
    expect(screen).toContain('Connected (protocol 2026-07-28)');
    expect(screen).toMatch(/Hello from the local model\.\n\(outcome=ok reachedModel=yes source=host model=e2e-local-model/);
    expect(received).toHaveLength(1);
    expect(received[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'Say goodbye instead' });
    expect(received[0]!.max_tokens).toBe(64);
    expect(screen).not.toContain(KEY);
  });

  it.each(['2025', '2026'])('%s era: a rejected request reaches no model', async (era) => {
    terminal = host(`--era ${era} ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.type('r');
    terminal.keys('Enter');

    expect(await terminal.exitCode()).toBe(1);
    expect(terminal.screen()).toContain('Rejected: nothing was sent to a model.');
    expect(terminal.screen()).toMatch(era === '2025' ? /outcome=rejected reachedModel=no/ : /the server is never told/);
    expect(received).toHaveLength(0);
  });

  it('Ctrl-C at the approval question cancels the call and stops the server', async () => {
    terminal = host(`ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.keys('C-c');

    expect(await terminal.exitCode()).toBe(130);
    expect(terminal.screen()).toContain('Cancelled: the tool call was cancelled and nothing more will be sent.');
    expect(received).toHaveLength(0);
    expect(projectProcesses()).toEqual([]);
  });

  it('shows progress while the model works, and Ctrl-C then abandons the answer', async () => {
    answerDelayMs = 20_000;
    terminal = host(`--era 2026 ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.type('a');
    terminal.keys('Enter');
    await terminal.waitFor(/Waiting for e2e-local-model… [1-9]\d* s \(Ctrl-C cancels\)/);
    terminal.keys('C-c');

    expect(await terminal.exitCode()).toBe(130);
    expect(terminal.screen()).toContain('Cancelled');
    expect(received).toHaveLength(1);
    expect(projectProcesses()).toEqual([]);
  });
});
