import { spawnSync } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { loadConfig, type Env } from '../src/config.js';
import type { LogRecord } from '../src/log.js';
import { authenticator } from '../src/transports/auth.js';
import { configProblems } from './harness.js';

/** What the server makes of a request, without listening: the authenticator looks at nothing in it. */
function identityOf(env: Env, headers: IncomingMessage['headers'] = {}) {
  return authenticator(loadConfig(env), () => {})({ headers } as IncomingMessage, {} as ServerResponse);
}

function startupLog(env: Env): LogRecord[] {
  const logs: LogRecord[] = [];
  authenticator(loadConfig(env), (record) => logs.push(record));
  return logs;
}

describe('a server that does not authenticate its callers', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20'])('refuses HOST=%s, naming both ways out', (host) => {
    const problems = configProblems({ HOST: host });
    expect(problems).toContain(`HOST=${host}`);
    expect(problems).toContain('--auth token');
    expect(problems).toContain('ALLOW_UNAUTHENTICATED=1');
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1'])('listens on loopback (%s) without a word, its callers local', async (host) => {
    expect(configProblems({ HOST: host })).toBe('');
    expect(startupLog({ HOST: host })).toEqual([]);
    expect(await identityOf({ HOST: host })).toEqual({ local: true });
  });

  it('takes no caller for local behind a proxy: ALLOWED_HOSTS, or the headers a proxy adds', async () => {
    expect(await identityOf({ ALLOWED_HOSTS: 'mcp.example.com' })).toEqual({ local: false });
    expect(await identityOf({}, { 'x-forwarded-for': '203.0.113.7' })).toEqual({ local: false });
    expect(await identityOf({}, { forwarded: 'for=203.0.113.7' })).toEqual({ local: false });
  });

  it('listens anywhere with ALLOW_UNAUTHENTICATED=1, says so at every start, and takes no caller for local', async () => {
    expect(startupLog({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: '1' })).toEqual([
      expect.objectContaining({ event: 'warning', message: expect.stringContaining('ALLOW_UNAUTHENTICATED=1') }),
    ]);
    // So the roots a client declares allow nothing on this disk (src/files.ts).
    expect(await identityOf({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: '1' })).toEqual({ local: false });
  });

  it('stops the built server before it listens, with the reason on stderr', () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const run = spawnSync(process.execPath, [entry], {
      env: { ...process.env, {{#if (eq transport "both")}}MCP_TRANSPORT: 'http', {{/if}}HOST: '0.0.0.0', PORT: '0' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ALLOW_UNAUTHENTICATED=1');
    expect(run.stderr).not.toContain('"event":"listening"');
  });
});
