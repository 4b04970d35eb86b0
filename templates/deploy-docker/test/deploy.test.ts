/**
 * The Dockerfile and compose.yaml, checked without Docker (no base image can be pulled in every CI): the
 * Dockerfile's steps are replayed in folders standing for its stages, running its own commands, then the image's
 * command starts the server and its HEALTHCHECK asks it; compose.yaml is read as Docker Compose reads it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { TEST_AUTH, TEST_STORE } from './harness.js';

const project = path.resolve(import.meta.dirname, '..');
const scratch: string[] = [];
afterAll(() => scratch.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

interface Stage {
  name?: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  cmd?: string[];
  healthcheck?: string[];
}

/** The Dockerfile's instructions, one per entry, comments and the parser directive left out. */
function instructions(): [string, string][] {
  return readFileSync(path.join(project, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, op = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line.trim()) ?? [];
      return [op, args];
    });
}

/** Runs every stage of the Dockerfile in its own folder, the way `docker build` would in a container. */
function replay(): Stage[] {
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const [op, args] of instructions()) {
    if (op === 'FROM') {
      const root = mkdtempSync(path.join(tmpdir(), 'docker-stage-'));
      scratch.push(root);
      stage = { name: /\sAS\s+(\S+)$/i.exec(args)?.[1], root, workdir: root, env: {}, user: 'root' };
      stages.push(stage);
      continue;
    }
    if (stage === undefined) throw new Error(`${op} before FROM`);
    const current = stage;
    const inStage = (target: string) => (path.isAbsolute(target) ? path.join(current.root, target) : path.join(current.workdir, target));
    switch (op) {
      case 'WORKDIR':
        current.workdir = inStage(args);
        mkdirSync(current.workdir, { recursive: true });
        break;
      case 'COPY': {
        const from = /^--from=(\S+)\s+/.exec(args);
        const paths = args.slice(from?.[0].length ?? 0).split(/\s+/);
        const target = paths.pop()!;
        const source = from ? stages.find((earlier) => earlier.name === from[1])!.root : project;
        for (const item of paths) {
          const into = target.endsWith('/') ? path.join(inStage(target), path.basename(item)) : inStage(target);
          cpSync(path.join(source, item), into, { recursive: true });
        }
        break;
      }
      case 'RUN': {
        // Build-time flags (a cache mount) are Docker's business; the command is what runs. npm reads its cache here.
        const command = args.replace(/^(--\S+\s+)+/, '');
        try {
          execFileSync('sh', ['-c', command], { cwd: current.workdir, env: { ...process.env, ...current.env, npm_config_prefer_offline: 'true' }, stdio: 'pipe' });
        } catch (error) {
          throw new Error(`RUN ${command} failed:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
        }
        break;
      }
      case 'ENV':
        for (const [, key = '', value = ''] of args.matchAll(/(\w+)=(\S+)/g)) current.env[key] = value;
        break;
      case 'USER':
        current.user = args;
        break;
      case 'CMD':
        current.cmd = JSON.parse(args) as string[];
        break;
      case 'HEALTHCHECK':
        current.healthcheck = JSON.parse(args.replace(/^.*?\bCMD\s+/, '')) as string[];
        break;
    }
  }
  return stages;
}

function dockerfileEnv(): Record<string, string> {
  return Object.fromEntries(
    instructions()
      .filter(([op]) => op === 'ENV')
      .flatMap(([, args]) => [...args.matchAll(/(\w+)=(\S+)/g)].map(([, key = '', value = '']) => [key, value])),
  );
}

describe('the Dockerfile', () => {
  it('builds in one stage and runs production dependencies only, as a user other than root, answering its HEALTHCHECK', async () => {
    const stages = replay();
    const image = stages.at(-1)!;
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(image.user).not.toMatch(/^(root|0)$/);
    expect(existsSync(path.join(image.workdir, 'dist/index.js'))).toBe(true);
    // Dependencies are there; development ones are not.
    expect(existsSync(path.join(image.workdir, 'node_modules/zod'))).toBe(true);
    expect(existsSync(path.join(image.workdir, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(path.join(image.workdir, 'node_modules/typescript'))).toBe(false);

    // The image's command, with its environment; here on loopback and a free port, as tests must.
    const [command, ...args] = image.cmd!;
    const env = { ...process.env, ...image.env, ...TEST_AUTH.env, ...TEST_STORE.env, HOST: '127.0.0.1', PORT: '0' };
    const server = spawn(command === 'node' ? process.execPath : command!, args, { cwd: image.workdir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let log = '';
        const timer = setTimeout(() => reject(new Error(`the image's command did not listen:\n${log}`)), 10_000);
        server.stderr!.on('data', (chunk: Buffer) => {
          log += chunk;
          const url = /"listening","url":"([^"]+)"/.exec(log)?.[1];
          if (url === undefined) return;
          clearTimeout(timer);
          resolve(new URL(url).port);
        });
      });
      const [check, ...checkArgs] = image.healthcheck!;
      execFileSync(check === 'node' ? process.execPath : check!, checkArgs, { env: { ...env, PORT: port }, stdio: 'pipe' });
    } finally {
      server.kill('SIGTERM');
    }
  }, 180_000);
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync(path.join(project, 'compose.yaml'), 'utf8')) as {
    services: Record<
      string,
      { build?: string; image?: string; environment?: Record<string, string>; ports?: string[]; volumes?: string[]; command?: string[]; stop_grace_period?: string }
    >;
  };
  const port = dockerfileEnv().PORT;

{{#if (eq store "redis")}}
  it('runs three replicas of the image behind HAProxy, sharing Redis', () => {
    const replicas = Object.entries(compose.services).filter(([, service]) => service.build === '.');
    expect(replicas.map(([name]) => name)).toEqual(['replica-1', 'replica-2', 'replica-3']);
    for (const [, replica] of replicas) expect(replica.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(compose.services.redis?.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));

    const proxy = compose.services.haproxy!;
    const [config] = proxy.volumes![0]!.split(':');
    expect(existsSync(path.join(project, config!))).toBe(true);
    expect([1, 2, 3].map((n) => proxy.environment?.[`MCP_REPLICA_${n}`])).toEqual(replicas.map(([name]) => `${name}:${port}`));
  });
{{else}}
  it('runs the image, publishing the port it listens on', () => {
    expect(compose.services.server?.build).toBe('.');
    expect(compose.services.server?.ports).toEqual([`${port}:${port}`]);
  });
{{/if}}

  it('gives a replica stopping longer than its shutdown grace, so that calls in flight end with an answer', () => {
    for (const service of Object.values(compose.services).filter((each) => each.build === '.')) {
      expect(Number.parseInt(service.stop_grace_period ?? '10s', 10)).toBeGreaterThan(10);
    }
  });

  it('asks for the settings authentication needs, rather than starting without them', () => {
    const services = Object.values(compose.services).filter((service) => service.build === '.');
{{#if (eq auth "none")}}
    const required = ['ALLOW_UNAUTHENTICATED'];
{{/if}}
{{#if (eq auth "token")}}
    const required = ['AUTH_TOKENS'];
{{/if}}
{{#if (eq auth "oauth")}}
    const required = ['OAUTH_ISSUER', 'MCP_PUBLIC_URL'];
{{/if}}
    for (const service of services) {
      for (const name of required) expect(service.environment?.[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
  });
});
