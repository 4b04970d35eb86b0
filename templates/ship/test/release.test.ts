import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const readJson = (file: string, dir = projectDir) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const releaseFiles = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(dir, 'scripts/release-files.mjs'), ...args], { cwd: dir, encoding: 'utf8' });

describe('release files', () => {
  const copies: string[] = [];
  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** The files release-files.mjs reads and writes, in a folder of their own. */
  function copyOfProject(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'release-files-'));
    copies.push(dir);
    for (const file of ['package.json', 'README.md', 'server.json', {{#if stdio}}'manifest.json', {{/if}}'scripts/release-files.mjs']) {
      cpSync(path.join(projectDir, file), path.join(dir, file));
    }
    return dir;
  }

  it('agree with package.json and the README, as generated and after every edit since', () => {
    const check = releaseFiles(projectDir, '--check');
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('name the same package, version and description everywhere', () => {
    const pkg = readJson('package.json');
    const server = readJson('server.json');
    expect(server).toMatchObject({ name: pkg.mcpName, version: pkg.version, description: pkg.description });
    expect(server.packages[0]).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version });
    // The MCP Registry refuses a longer description when publishing.
    expect(pkg.description.length, 'package.json description, for server.json').toBeLessThanOrEqual(100);
  });

  it('fail the check when package.json moves on without them, and catch up when written', () => {
    const dir = copyOfProject();
    const pkg = readJson('package.json', dir);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7', description: 'Changed.' }));

    const stale = releaseFiles(dir, '--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('server.json');
    expect(readJson('server.json', dir).version).toBe(pkg.version);

    expect(releaseFiles(dir).status).toBe(0);
    const server = readJson('server.json', dir);
    expect(server).toMatchObject({ version: '9.8.7', description: 'Changed.' });
    expect(server.packages[0].version).toBe('9.8.7');
{{#if stdio}}
    expect(readJson('manifest.json', dir)).toMatchObject({ version: '9.8.7', description: 'Changed.' });
{{/if}}
    expect(releaseFiles(dir, '--check').status).toBe(0);
  });

  it("follow the README's Settings table, and keep fields added by hand", () => {
    const dir = copyOfProject();
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    writeFileSync(path.join(dir, 'README.md'), readme.replace('| `SAMPLING_MAX_INPUT_BYTES` | 50000 |', '| `SAMPLING_MAX_INPUT_BYTES` | 80000 |'));
    const server = readJson('server.json', dir);
    writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ ...server, title: 'Added by hand' }));

    expect(releaseFiles(dir).status).toBe(0);
    const written = readJson('server.json', dir);
    expect(written.title).toBe('Added by hand');
    const setting = written.packages[0].environmentVariables.find((variable: { name: string }) => variable.name === 'SAMPLING_MAX_INPUT_BYTES');
    expect(setting).toMatchObject({ default: '80000', format: 'number' });
  });

  it('list every setting the README documents, and each is one the server reads', () => {
    const documented = readJson('server.json').packages[0].environmentVariables.map((variable: { name: string }) => variable.name);
    const sources = readdirSync(path.join(projectDir, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(path.join(projectDir, 'src', file), 'utf8'))
      .join('\n');
    expect(documented.length).toBeGreaterThan(5);
    for (const name of documented) expect(sources, `${name} is documented but never read`).toContain(`'${name}'`);
  });
});

describe('the npm package', () => {
  it('holds the built server and its docs, and no tests, sources, source maps or secrets', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectDir, encoding: 'utf8', shell: process.platform === 'win32' }));
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js']));
    expect(files.filter((file) => /^(test|src|scripts)\/|\.map$|\.env|\.npmrc$|\.pem$|\.key$/.test(file))).toEqual([]);
  });
});
