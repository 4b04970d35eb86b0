/**
 * `create-mcp-sampling-server host` as a script drives it: the built bin, through pipes, against a generated,
 * installed and built project (and its server over HTTP). A person on a real terminal, Ctrl-C included, is
 * terminal-host.test.ts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bin, repoRoot, scratch } from '../helpers/cli.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { hostedProject } from '../helpers/hosted-project.js';
import { scriptedHost } from '../helpers/host.js';
import { startHttpServer, type RunningServer } from '../helpers/processes.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const KEY = 'sk-test-DO-NOT-LEAK-4f7c2a';
const ERAS = ['2025', '2026'] as const;
let project: string;

beforeAll(async () => {
  project = await hostedProject('cmss-host-pipes-');
}, TIMEOUTS.hostedProject);

/** The host in its own process group, so that it and the server it starts can be killed together. */
class HostRun {
  private readonly child: ChildProcessWithoutNullStreams;
  output = '';
  readonly exited: Promise<number | null>;
  private seen = 0;

  constructor(args: string[], env: Record<string, string> = {}, cwd = project, binPath = bin) {
    // Provider variables from the developer's shell must not decide who answers here.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI|ANTHROPIC|PROVIDER)_/.test(name)));
    this.child = spawn(process.execPath, [binPath, 'host', ...args], { cwd, env: { ...inherited, ...env }, detached: true });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    runs.push(this);
  }

  /** Waits for `text` to appear after what was already answered, then types `line`, as a person would. */
  async answer(text: string, line: string): Promise<void> {
    const deadline = Date.now() + TIMEOUTS.terminalOutput;
    let at: number;
    while ((at = this.output.indexOf(text, this.seen)) === -1) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${JSON.stringify(text)}. Output so far:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.seen = at + text.length;
    this.child.stdin.write(`${line}\n`);
  }

  /** Every line at once, then end of input, as `printf '...' | npm run host` does. */
  pipe(lines: string[]): void {
    this.child.stdin.end(`${lines.join('\n')}\n`);
  }

  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const runs: HostRun[] = [];
const providers: FakeProvider[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) run.kill();
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

const call = (era: string, prompt = 'Say hello') => ['--era', era, 'ask', JSON.stringify({ prompt })];
async function provider(shape: 'openai' | 'anthropic'): Promise<FakeProvider> {
  const started = await startFakeProvider(shape);
  providers.push(started);
  return started;
}
const openAiEnv = (fake: FakeProvider) => ({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: 'fake-model-1', OPENAI_API_KEY: KEY });

describe.each(ERAS)('interactive host, %s era', (era) => {
  it('uses answers piped in ahead of their questions, even after input has ended', async () => {
    const run = new HostRun([...call(era), '--answer', 'type']);
    run.pipe(['a', 'A piped answer.', '']);
    expect(await run.exited, run.output).toBe(0);
    expect(run.output).toContain(`Connected (protocol ${era === '2026' ? '2026-07-28' : '2025-11-25'})`);
    expect(run.output).toMatch(/── Tool result ──\nA piped answer\.\n\(outcome=ok reachedModel=yes source=host model=typed-by-user/);
  });

  it('cancels when input ends with a question still to answer', async () => {
    const run = new HostRun([...call(era), '--answer', 'type']);
    run.pipe(['a']);
    expect(await run.exited).toBe(130);
    expect(run.output).toContain('Cancelled: the tool call was cancelled and nothing more will be sent.');
  });

  it('shows the request with control characters made visible, and returns the typed answer on approval', async () => {
    const run = new HostRun([...call(era, 'Say \x1b[2J\x1b]0;owned\x07 hello\rSend this request?'), '--answer', 'type']);
    await run.answer('[r]eject? ', 'a');
    await run.answer('an empty line ends it:\n> ', 'Typed \x1b[31m red');
    await run.answer('> ', '');

    expect(await run.exited, run.output).toBe(0);
    expect(run.output).toContain('── Sampling request 1 from the server ──');
    expect(run.output).toContain('User message:\n    Say \\x1b[2J\\x1b]0;owned\\x07 hello\\x0dSend this request?');
    expect(run.output).toMatch(/maxTokens: 1024 {3}estimated input: \d+ tokens {3}worst case: \d+ tokens/);
    expect(run.output).toContain('Model preferences: hints (none); priorities cost 0.5, speed 0.5, intelligence 0.5');
    // The answer came back from the server as its tool result: foreign text again.
    expect(run.output).toContain('── Tool result ──\nTyped \\x1b[31m red');
    expect(run.output).not.toMatch(/[\x07\x1b\r]/);
  });

  it('sends an approved request, as edited, to the configured provider, never showing its key', async () => {
    const fake = await provider('openai');
    const run = new HostRun(call(era), openAiEnv(fake));
    await run.answer('[r]eject? ', 'e');
    await run.answer('New text for the user message', 'Edited prompt.');
    await run.answer('maxTokens (Enter keeps 1024)', '42');
    await run.answer('[r]eject? ', 'a');

    expect(await run.exited, run.output).toBe(0);
    expect(run.output).toMatch(/Answered by: OpenAI-compatible endpoint http:\/\/127\.0\.0\.1:\d+\/v1, model fake-model-1/);
    expect(run.output).toContain('fake-model-1 answered (12 tokens in, 7 out)');
    expect(run.output).toContain('Hello from the fake provider.');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect((fake.requests[0]!.body.messages as unknown[]).at(-1)).toEqual({ role: 'user', content: 'Edited prompt.' });
    expect(fake.requests[0]!.body.max_tokens).toBe(42);
    expect(run.output).not.toContain(KEY);
  });

  it('rejects a request: nothing reaches a model', async () => {
    const fake = await provider('openai');
    const run = new HostRun(call(era), openAiEnv(fake));
    await run.answer('[r]eject? ', 'r');

    expect(await run.exited).toBe(1);
    expect(run.output).toContain('Rejected: nothing was sent to a model.');
    expect(fake.requests).toHaveLength(0);
    // A 2025-era server hears of it (error code -1) and says so in its result; a 2026-era one is never told.
    expect(run.output).toMatch(era === '2025' ? /outcome=rejected reachedModel=no/ : /the server is never told/);
  });

  it('uses a server already running over HTTP (--url)', async () => {
    const server = await startHttpServer(project, { MCP_TRANSPORT: 'http' });
    servers.push(server);
    const run = new HostRun([...call(era), '--answer', 'type', '--url', server.url]);
    run.pipe(['a', 'Answered over HTTP.', '']);
    expect(await run.exited, run.output).toBe(0);
    expect(run.output).toContain('Answered over HTTP.');
  });
});

describe('answering with a model provider', () => {
  it('speaks the Anthropic Messages API when only ANTHROPIC_* is set', async () => {
    const fake = await provider('anthropic');
    const run = new HostRun(call('2026'), { ANTHROPIC_BASE_URL: fake.baseUrl, ANTHROPIC_API_KEY: KEY, ANTHROPIC_MODEL: 'fake-model-1' });
    run.pipe(['a']);
    expect(await run.exited, run.output).toBe(0);
    expect(run.output).toContain('Answered by: Anthropic API');
    expect(run.output).toContain('Hello from the fake provider.');
    expect(fake.requests[0]!.path).toBe('/v1/messages');
    expect(fake.requests[0]!.headers['x-api-key']).toBe(KEY);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'fake-model-1', max_tokens: 1024 });
    expect(run.output).not.toContain(KEY);
  });

  it('retries a 429, and reports a 401 in plain words without the key the provider echoed', async () => {
    const fake = await provider('openai');
    fake.script(429, 401);
    const run = new HostRun(call('2025'), openAiEnv(fake));
    run.pipe(['a']);
    expect(await run.exited).toBe(1);
    expect(fake.requests).toHaveLength(2);
    expect(run.output).toContain('The provider answered HTTP 429; retrying');
    expect(run.output).toContain('The OpenAI-compatible endpoint refused the API key (HTTP 401).');
    expect(run.output).not.toContain(KEY);
  });
});

describe('a base URL without the API root (OPENAI_BASE_URL missing /v1)', () => {
  it('names the URL it called and the shape it expects, instead of a bare 404', async () => {
    const fake = await provider('openai');
    const withoutV1 = fake.baseUrl.replace(/\/v1$/, '');
    const run = new HostRun(call('2025'), { ...openAiEnv(fake), OPENAI_BASE_URL: withoutV1 });
    run.pipe(['a']);
    expect(await run.exited).toBe(1);
    expect(run.output).toContain(`The OpenAI-compatible endpoint has nothing at ${withoutV1}/chat/completions (HTTP 404).`);
    expect(run.output).toContain('OPENAI_BASE_URL is the API root that /chat/completions goes under, usually ending in /v1');
  });
});

describe('scripted host', () => {
  it('lists the tools as JSON', async () => {
    const run = new HostRun(['--list-tools']);
    expect(await run.exited).toBe(0);
    const [tool] = JSON.parse(run.output) as { name: string; inputSchema: { required: string[] } }[];
    expect(tool).toMatchObject({ name: 'ask', inputSchema: { required: ['prompt'] } });
  });

  it.each(ERAS)('%s era: approves every request with the given text', async (era) => {
    const report = await scriptedHost(project, ['--era', era, '--approve-with', 'fixed answer', 'ask', '{"prompt":"hi"}']);
    expect(report).toMatchObject({ era, protocol: era === '2026' ? '2026-07-28' : '2025-11-25', tool: 'ask', sampled: 1 });
    expect(report.result?.content[0]).toEqual({ type: 'text', text: 'fixed answer' });
  });
});

describe('bad usage and failures', () => {
  it.each([
    [['--era', '2024'], /--era must be one of 2025, 2026 \(got "2024"\)\. Example: --era 2026/],
    [['--negotiate', 'auto'], /--negotiate applies to --era 2026 only/],
    [['--reject', '--answer', 'type'], /--answer is for a person answering; --reject decides without asking/],
    [['--reject', '--no-sampling'], /--reject and --no-sampling exclude each other/],
    [['--url', 'http://127.0.0.1:1/mcp', '--', 'node', 'x.js'], /--url connects to a running server and -- starts one: give one of them/],
    [['--header', 'Authorization: Bearer x'], /--header is sent to a server reached with --url: add --url/],
    // The value is never echoed: it is often a secret.
    [['--url', 'http://127.0.0.1:1/mcp', '--header', 'Bearer secret-value'], /--header must be NAME: VALUE on one line.*\(got no colon after a name\)\.$/m],
    [['--url', 'http://127.0.0.1:1/mcp', '--header', 'Bad Name: secret-value'], /\(got a header named "Bad Name"\)\.$/m],
    [['ask', '{not json'], /The tool arguments must be one JSON object/],
    [['--bogus'], /Unknown option '--bogus'\. See create-mcp-sampling-server host --help/],
    [['--answer', 'anthropic'], /--answer anthropic needs ANTHROPIC_API_KEY and ANTHROPIC_MODEL/],
    [['--reject', 'no_such_tool', '{}'], /The server has no tool "no_such_tool"; it has ask\./],
  ])('%j exits 2 naming the problem and the fix', async (args, message) => {
    const run = new HostRun(args);
    expect(await run.exited).toBe(2);
    expect(run.output).toMatch(message);
  });

  it('says how to build when there is no server to start', async () => {
    const run = new HostRun(['--reject'], {}, scratch());
    expect(await run.exited).toBe(2);
    expect(run.output).toMatch(/dist\/index\.js does not exist\. Build the project first \(npm run build\), give the command that starts the server after --/);
  });

  it('says where it could not connect when --url names no running server', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}/mcp`;
    const run = new HostRun([...call('2025'), '--answer', 'type', '--url', url]);
    expect(await run.exited).toBe(1);
    expect(run.output).toContain(`Could not connect to the server at ${url}. Is it running, and is that its MCP endpoint?`);
  });

  it('says how to install the MCP client when neither the project nor the generator has it', async () => {
    // The generator as published (bin and dist only, no node_modules), run outside any project.
    const published = scratch('cmss-published-');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(repoRoot, part), path.join(published, part), { recursive: true });
    const elsewhere = path.join(scratch(), 'project');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'package.json'), '{}');
    const run = new HostRun(['--reject'], {}, elsewhere, path.join(published, 'bin/create-mcp-sampling-server.cjs'));
    expect(await run.exited).toBe(2);
    expect(run.output).toContain('Install it in the project: npm install --save-dev @modelcontextprotocol/client@^2.4.0');
  });

  it('documents every flag in --help, and says it drives any MCP server', async () => {
    const run = new HostRun(['--help']);
    expect(await run.exited).toBe(0);
    for (const flag of ['--url', '--era', '--negotiate', '--answer', '--approve-with', '--reject', '--no-sampling', '--list-tools', '--timeout', '-- command args']) {
      expect(run.output).toContain(flag);
    }
    expect(run.output).toContain('It drives any MCP server');
  });
});

afterAll(() => {
  for (const run of runs) run.kill();
});

/** A loopback port nothing listens on: one the OS just handed out and took back. */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
