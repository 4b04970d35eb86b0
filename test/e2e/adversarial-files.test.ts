/**
 * A built summarize server with ALLOWED_ROOTS set, driven over stdio by the SDK's client with random hostile
 * paths (fast-check): `..` chains, absolute paths, links out of the root, protected names in any case, NUL
 * bytes, folders, devices. Whatever the path, no secret reaches the model, no system error text reaches the
 * user, and a path outside the root is answered exactly like a missing one.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const SECRET = 'SECRET-7f3a';
let client: Client;
const sampled: string[] = [];
let root: string;
let outside: string;

beforeAll(async () => {
  const project = await generatedProject('cmss-adversarial-', 'adversarial', ['--sdk', 'v2', '--tool', 'summarize', '--transport', 'stdio', '--yes']);
  const build = await runCommand('npm', ['run', 'build', '--silent'], { cwd: project });
  if (build.code !== 0) throw new Error(`building failed:\n${build.output}`);

  root = mkdtempSync(path.join(tmpdir(), 'cmss-root-'));
  outside = mkdtempSync(path.join(tmpdir(), 'cmss-outside-'));
  writeFileSync(path.join(root, 'notes.txt'), 'Plain notes.\n');
  mkdirSync(path.join(root, 'sub'));
  mkdirSync(path.join(root, '.ssh'));
  for (const name of ['.env', '.env.local', 'server.key', 'id_rsa', '.ssh/config', 'sub/.npmrc']) writeFileSync(path.join(root, name), `${SECRET} in ${name}\n`);
  writeFileSync(path.join(outside, 'secret.txt'), `${SECRET} outside\n`);
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
  symlinkSync(outside, path.join(root, 'linked-folder'));
  symlinkSync(path.join(root, '.env'), path.join(root, 'innocent.txt'));

  client = new Client({ name: 'adversary', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler('sampling/createMessage', async (request) => {
    const content = request.params.messages[0]?.content;
    sampled.push(content && 'text' in content ? String(content.text) : '');
    return { model: 'm', role: 'assistant', content: { type: 'text', text: 'summary' }, stopReason: 'endTurn' };
  });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ['dist/index.js'], cwd: project, env: { ...process.env, ALLOWED_ROOTS: root } as Record<string, string>, stderr: 'ignore' }));
}, TIMEOUTS.hostedProject);

afterAll(async () => {
  await client?.close();
});

async function summarize(requested: string): Promise<string> {
  const result = (await client.callTool({ name: 'summarize', arguments: { path: requested } })) as { content: { type: string; text?: string }[] };
  return result.content.map((block) => block.text ?? '').join('\n');
}

describe('hostile paths against the file tool', () => {
  const segment = fc.constantFrom('..', '.', '', 'notes.txt', '.env', '.ENV', '.Env.Local', 'server.KEY', 'id_rsa', '.ssh', 'config', 'sub', '.npmrc', 'link.txt', 'linked-folder', 'secret.txt', 'innocent.txt', 'missing', 'a\0b', 'ñ');
  const start = fc.constantFrom('', '/', '/etc/', '/dev/', '/proc/self/', '~/');

  it('never sends a secret to the model, never shows a system error, and gives no existence oracle', async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(segment, { minLength: 1, maxLength: 5 }), async (prefix, parts) => {
        const requested = prefix + parts.join('/');
        const text = await summarize(requested);
        expect(text).not.toMatch(/\b(ENOENT|EACCES|ENOTDIR|EISDIR|ELOOP|ENAMETOOLONG|EINVAL)\b|at .*\.js:\d+/);
        expect(text).not.toContain(SECRET);
      }),
      { numRuns: 120 },
    );
    expect(sampled.join('\n')).not.toContain(SECRET);
  }, TIMEOUTS.test);

  it('answers an outside path exactly like a missing one', async () => {
    const answers = await Promise.all(
      ['/etc/passwd', path.join(outside, 'secret.txt'), '../../../../etc/shadow', 'missing.txt', path.join(outside, 'missing.txt'), 'link.txt', 'linked-folder/secret.txt'].map(
        async (requested) => (await summarize(requested)).replace(requested, '<path>'),
      ),
    );
    expect(new Set(answers).size).toBe(1);
  });

  it('reads a plain file inside the root', async () => {
    const before = sampled.length;
    expect(await summarize('notes.txt')).toBe('summary');
    expect(sampled.slice(before).join('')).toContain('Plain notes.');
  });
});
