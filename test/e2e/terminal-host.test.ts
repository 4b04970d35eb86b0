/**
 * `npm run host` on a real pseudo-terminal (tmux), inside a freshly generated and installed project (whose
 * devDependency installs the generator from this checkout): a person approving, editing and rejecting
 * sampling requests in both eras, over stdio and over HTTP (--url), and pressing Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Terminal } from '../helpers/cli.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { hostedProject } from '../helpers/hosted-project.js';
import { startHttpServer, type RunningServer } from '../helpers/processes.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const KEY = 'sk-e2e-never-shown-91b3';
let project: string;
let provider: FakeProvider;
let httpServer: RunningServer | undefined;

beforeAll(async () => {
  project = await hostedProject('cmss-host-tty-');
  provider = await startFakeProvider('openai', { answer: 'Hello from the local model.', model: 'e2e-local-model' });
}, TIMEOUTS.hostedProject);

afterAll(async () => {
  await provider?.close();
  await httpServer?.stop();
});

let terminal: Terminal | undefined;
afterEach(() => {
  // Killing the tmux session ends everything in it: npm, the host and the server it started.
  terminal?.close();
  terminal = undefined;
  provider.requests.length = 0;
  provider.delayMs = 0;
});

/** Environment that makes the host answer with the local endpoint. */
const withProvider = () => `OPENAI_BASE_URL=${provider.baseUrl} OPENAI_MODEL=e2e-local-model OPENAI_API_KEY=${KEY}`;
function host(args: string, env = ''): Terminal {
  return new Terminal(`${env} npm run --silent host -- ${args}`, project);
}

/** Processes still running from the project: the server the host started, or the host itself. */
function projectProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(path.join(project, 'dist')) || line.includes(`${project}/node_modules/.bin`));
}

const TRANSPORTS = [
  { name: 'stdio', flags: async () => '' },
  {
    name: 'HTTP',
    flags: async () => {
      httpServer ??= await startHttpServer(project, { MCP_TRANSPORT: 'http' });
      return `--url ${httpServer.url}`;
    },
  },
];

describe.each(TRANSPORTS)('npm run host over $name', ({ flags }) => {
  it.each(['2025', '2026'])('%s era: shows the request, and returns the answer the user types on approval', async (era) => {
    terminal = host(`--era ${era} --answer type ${await flags()} ask '{"prompt":"Say hello"}'`);
    await terminal.waitFor(/Send this request\? \[a\]pprove, \[e\]dit, \[r\]eject\?/);
    const screen = terminal.screen();
    expect(screen).toContain(`Connected (protocol ${era === '2026' ? '2026-07-28' : '2025-11-25'})`);
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

  it.each(['2025', '2026'])('%s era: an edited request goes to the configured model, and its key never appears', async (era) => {
    terminal = host(`--era ${era} ${await flags()} ask '{"prompt":"Say hello"}'`, withProvider());
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
    expect(screen).toMatch(/Hello from the local model\.\n\(outcome=ok reachedModel=yes source=host model=e2e-local-model/);
    expect(provider.requests).toHaveLength(1);
    expect((provider.requests[0]!.body.messages as unknown[]).at(-1)).toEqual({ role: 'user', content: 'Say goodbye instead' });
    expect(provider.requests[0]!.body.max_tokens).toBe(64);
    expect(screen).not.toContain(KEY);
  });

  it.each(['2025', '2026'])('%s era: a rejected request reaches no model', async (era) => {
    terminal = host(`--era ${era} ${await flags()} ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.type('r');
    terminal.keys('Enter');

    expect(await terminal.exitCode()).toBe(1);
    expect(terminal.screen()).toContain('Rejected: nothing was sent to a model.');
    expect(terminal.screen()).toMatch(era === '2025' ? /outcome=rejected reachedModel=no/ : /the server is never told/);
    expect(provider.requests).toHaveLength(0);
  });
});

describe('Ctrl-C', () => {
  it('at the approval question cancels the call and stops the server', async () => {
    terminal = host(`ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.keys('C-c');

    expect(await terminal.exitCode()).toBe(130);
    expect(terminal.screen()).toContain('Cancelled: the tool call was cancelled and nothing more will be sent.');
    expect(provider.requests).toHaveLength(0);
    expect(projectProcesses()).toEqual([]);
  });

  it('while the model works: progress counts the seconds, and Ctrl-C abandons the answer', async () => {
    provider.delayMs = 20_000;
    terminal = host(`--era 2026 ask '{"prompt":"Say hello"}'`, withProvider());
    await terminal.waitFor(/Send this request\?/);
    terminal.type('a');
    terminal.keys('Enter');
    await terminal.waitFor(/Waiting for e2e-local-model… [1-9]\d* s \(Ctrl-C cancels\)/);
    terminal.keys('C-c');

    expect(await terminal.exitCode()).toBe(130);
    expect(terminal.screen()).toContain('Cancelled');
    expect(provider.requests).toHaveLength(1);
    expect(projectProcesses()).toEqual([]);
  });
});
