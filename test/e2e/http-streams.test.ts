/**
 * 2025-era clients speaking raw HTTP, as the simplest real clients do. One that never opens the standalone
 * GET stream: the server's sampling request must arrive on the tool call's own POST stream
 * (`relatedRequestId`), or the call hangs until the approval timeout; forty first calls, each on a fresh
 * session, must all be answered. And every SSE stream opens with a priming event (an id, a `retry` field,
 * empty data), so a client whose connection drops can resume it with Last-Event-ID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, startHttpServer, type RunningServer } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const CALLS = 40;
/** A call that waits this long has lost its sampling request (answered at once, a call takes about 10 ms). */
const CALL_DEADLINE_MS = 10_000;

let server: RunningServer;

beforeAll(async () => {
  const project = await generatedProject('cmss-streams-', 'streams', ['--sdk', 'v2', '--tool', 'ask', '--transport', 'http']);
  const build = await runCommand('npm', ['run', 'build', '--silent'], { cwd: project });
  if (build.code !== 0) throw new Error(`building failed:\n${build.output}`);
  server = await startHttpServer(project);
}, TIMEOUTS.hostedProject);

afterAll(async () => {
  await server?.stop();
});

type Message = { id?: number | string; method?: string; result?: Record<string, unknown>; error?: unknown };

/** POSTs one JSON-RPC message in a session and returns the response, with the SSE events it streams. */
async function post(url: string, session: string | undefined, message: object, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(session ? { 'mcp-session-id': session } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', ...message }),
  });
}

/** The JSON-RPC messages of an SSE response body, as they arrive. */
async function* events(response: Response): AsyncGenerator<Message> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n');
      buffer = buffer.slice(end + 2);
      if (data !== '') yield JSON.parse(data) as Message;
    }
  }
}

/** One first call on a fresh session; resolves with the tool result, or rejects at the deadline. */
async function firstCall(url: string): Promise<Record<string, unknown>> {
  const initialize = await post(url, undefined, {
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: { sampling: {} }, clientInfo: { name: 'no-get-stream', version: '1.0.0' } },
  });
  const session = initialize.headers.get('mcp-session-id') ?? undefined;
  await initialize.text();
  expect(session).toBeDefined();
  await (await post(url, session, { method: 'notifications/initialized' })).text();

  // Without the sampling request on this stream, nothing more arrives on it: the deadline ends the wait.
  const deadline = AbortSignal.timeout(CALL_DEADLINE_MS);
  try {
    const call = await post(url, session, { id: 2, method: 'tools/call', params: { name: 'ask', arguments: { prompt: 'Say hi.' } } }, deadline);
    for await (const message of events(call)) {
      if (message.method === 'sampling/createMessage') {
        const answer = { model: 'raw-http', role: 'assistant', content: { type: 'text', text: 'hi' }, stopReason: 'endTurn' };
        await (await post(url, session, { id: message.id, result: answer })).text();
      } else if (message.id === 2) {
        return message.result ?? { error: message.error };
      }
    }
  } catch (error) {
    if (!deadline.aborted) throw error;
  }
  throw new Error(`no answer within ${CALL_DEADLINE_MS / 1000} s: the sampling request never reached the tool call's stream`);
}

describe('SSE streams a client can resume', () => {
  it('open with a priming event: an id, the retry interval and empty data', async () => {
    const initialize = await post(server.url, undefined, {
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'resumer', version: '1.0.0' } },
    });
    const session = initialize.headers.get('mcp-session-id') ?? undefined;
    await initialize.text();
    await (await post(server.url, session, { method: 'notifications/initialized' })).text();
    const listed = await (await post(server.url, session, { id: 2, method: 'tools/list' })).text();
    expect(listed).toMatch(/^id: \d+\nretry: 1000\ndata: \n\n/);
    expect(listed).toMatch(/\nid: \d+\ndata: \{.*"tools"/);
  });
});

describe('a 2025-era client that never opens the GET stream', () => {
  it(`gets every one of ${CALLS} first calls answered on the call's own stream`, async () => {
    let answered = 0;
    for (let i = 0; i < CALLS; i++) {
      const result = await firstCall(server.url);
      expect(result._meta).toMatchObject({ sampling: { outcome: 'ok', model: 'raw-http' } });
      answered += 1;
    }
    expect(answered).toBe(CALLS);
  }, TIMEOUTS.hostScenarios);
});
