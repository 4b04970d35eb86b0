import { spawn, {{#if http}}type ChildProcess, {{/if}}type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it{{#if http}}, vi{{/if}} } from 'vitest';

import { HOST_ERAS } from '../src/host/client.js';
import { FAKE_KEY, FAKE_MODEL, startFakeProvider, type FakeProvider } from './fake-provider.js';
import { {{#if (ne tool "ask")}}fixtureRoot, {{/if}}TOOL_NAME, toolArguments } from './helpers.js';

/**
 * The terminal host (`npm run host`), built, driven through pipes as a script would drive it.
 * Ctrl-C and a real terminal are covered by the generator's own tests, which drive it through tmux.
 */
const hostEntry = fileURLToPath(new URL('../dist/host/index.js', import.meta.url));

class HostRun {
  private readonly child: ChildProcessWithoutNullStreams;
  output = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    // Provider variables from the developer's shell must not decide who answers here.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI|ANTHROPIC|PROVIDER)_/.test(name)));
    this.child = spawn(process.execPath, [hostEntry, ...args], {
      env: { ...inherited, {{#if (ne tool "ask")}}ALLOWED_ROOTS: fixtureRoot(), {{/if}}...env },
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  /** Output already answered; each prompt is looked for after it, so the same prompt can be answered twice. */
  private seen = 0;

  /** Waits for the prompt `text` to appear, then types `line`, as a person would. */
  async answer(text: string, line: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    let at: number;
    while ((at = this.output.indexOf(text, this.seen)) === -1) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${JSON.stringify(text)}. Output so far:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.seen = at + text.length;
    this.child.stdin.write(`${line}\n`);
  }

  /** Sends every line at once and closes input, as `printf '...' | npm run host` does. */
  pipe(lines: string[]): void {
    this.child.stdin.end(`${lines.join('\n')}\n`);
  }

  kill(): void {
    this.child.kill();
  }
}

const call = (era: string) => ['--era', era, TOOL_NAME, JSON.stringify(toolArguments())];

let run: HostRun | undefined;
let fake: FakeProvider | undefined;
afterEach(async () => {
  run?.kill();
  await fake?.close();
  run = fake = undefined;
});

describe.each(HOST_ERAS)('terminal host, %s era', (era) => {
  it('uses answers piped in ahead of their questions, even after input has ended', async () => {
    run = new HostRun([...call(era), '--answer', 'type']);
    run.pipe(['a', 'A piped answer.', '']);
    expect(await run.exited).toBe(0);
    expect(run.output).toMatch(/A piped answer\./);
  });

  it('cancels when input ends with a question still to answer', async () => {
    run = new HostRun([...call(era), '--answer', 'type']);
    run.pipe(['a']);
    expect(await run.exited).toBe(130);
    expect(run.output).toMatch(/Cancelled/);
  });

  it('shows the request, and on approval returns the answer the user types', async () => {
    run = new HostRun([...call(era), '--answer', 'type']);
    await run.answer('Send this request?', 'a');
    await run.answer('an empty line ends it:\n> ', 'A typed answer.');
    await run.answer('> ', '');

    expect(await run.exited).toBe(0);
    expect(run.output).toMatch(/Sampling request 1 from the server/);
    expect(run.output).toMatch(/maxTokens: \d+ {3}estimated input: \d+ tokens {3}worst case: \d+ tokens/);
    expect(run.output).toContain('── Tool result ──');
    expect(run.output).toContain('A typed answer.');
    expect(run.output).toContain('model=typed-by-user');
  });

  it('sends an approved request, as edited, to the configured provider, never showing its key', async () => {
    fake = await startFakeProvider('openai-compatible');
    run = new HostRun(call(era), { OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: FAKE_MODEL, OPENAI_API_KEY: FAKE_KEY });
    await run.answer('Send this request?', 'e');
    await run.answer('New text for the user message', 'Edited prompt.');
    await run.answer('maxTokens (Enter keeps', '42');
    await run.answer('Send this request?', 'a');

    expect(await run.exited).toBe(0);
    expect(run.output).toContain('Hello from the fake provider.');
    expect(fake.requests).toHaveLength(1);
    const messages = fake.requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Edited prompt.' });
    expect(fake.requests[0]?.body.max_tokens).toBe(42);
    expect(run.output).not.toContain(FAKE_KEY);
  });

  it('rejects a request: nothing reaches a model', async () => {
    fake = await startFakeProvider('openai-compatible');
    run = new HostRun(call(era), { OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: FAKE_MODEL });
    await run.answer('Send this request?', 'r');

    expect(await run.exited).toBe(1);
    expect(fake.requests).toHaveLength(0);
    // A 2025-era server hears of it (error code -1) and says so in the tool result; a 2026-era one is never told.
    expect(run.output).toContain(era === '2025' ? 'outcome=rejected' : 'the server is never told');
  });
});

{{#if http}}
describe.each(HOST_ERAS)('terminal host with --url, %s era', (era) => {
  let server: ChildProcess | undefined;
  afterEach(() => {
    server?.kill();
    server = undefined;
  });

  it('uses a server that is already running over HTTP', async () => {
    let log = '';
    const child = spawn(process.execPath, [fileURLToPath(new URL('../dist/index.js', import.meta.url))], {
      env: { ...process.env, {{#if (eq transport "both")}}MCP_TRANSPORT: 'http', {{/if}}{{#if (ne tool "ask")}}ALLOWED_ROOTS: fixtureRoot(), {{/if}}HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server = child;
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const listening = /"event":"listening","url":"([^"]+)"/.exec(log);
        if (listening?.[1]) resolve(listening[1]);
      });
      child.once('exit', (code) => reject(new Error(`The server exited (code ${code}) before listening.\n${log}`)));
    });

    run = new HostRun([...call(era), '--answer', 'type', '--url', url]);
    await run.answer('Send this request?', 'a');
    await run.answer('an empty line ends it:\n> ', 'Answered over HTTP.');
    await run.answer('> ', '');

    expect(await run.exited).toBe(0);
    expect(run.output).toContain('Answered over HTTP.');
    // The host used the running server: it logs the sampling call (log lines are written in batches).
    await vi.waitFor(() => expect(log).toMatch(/"event":"sampling".*"outcome":"ok"/));
  });
});

{{/if}}
describe('terminal host options', () => {
  it('explains a bad option with the usage text', async () => {
    run = new HostRun(['--era', '2024']);
    expect(await run.exited).toBe(2);
    expect(run.output).toContain(`--era must be ${HOST_ERAS.join(' or ')}`);
    expect(run.output).toContain('Usage: npm run host');
  });

  it('says where it could not connect when --url names no running server', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/mcp`;
    run = new HostRun([...call('2025'), '--answer', 'type', '--url', url]);
    expect(await run.exited).toBe(1);
    expect(run.output).toContain(`Could not connect to the server at ${url}. Is it running`);
  });

  it('names the missing variable when a provider is asked for but not configured', async () => {
    run = new HostRun(['--answer', 'anthropic']);
    expect(await run.exited).toBe(2);
    expect(run.output).toContain('needs ANTHROPIC_API_KEY and ANTHROPIC_MODEL');
  });
});

/** A loopback port nothing listens on: one the OS just handed out and took back. */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
