/** The published package, installed from a registry and run the way users run it: `npm create`. */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot, scratch } from '../helpers/cli.js';
import { runCommand } from '../helpers/processes.js';
import { GENERATOR_PACKAGE, registryEnv } from '../helpers/registry.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const registry = inject('registry');

/** A 127.0.0.1 URL where nothing listens: the port was free a moment ago and is closed again. */
async function unreachableRegistry(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

describe('the packed tarball', () => {
  it('ships only bin/, dist/ and the package files', () => {
    const files = registry.generatorFiles;
    for (const file of files) expect(file).toMatch(/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE$)/);
    expect(files).toContain('bin/create-mcp-sampling-server.cjs');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/THIRD-PARTY-LICENSES.txt');
    // Plain template files ship as they are, dotfiles included (npm leaves some out of packages).
    expect(files).toContain('dist/templates/common/.yarnrc.yml');
    expect(files).toContain('dist/templates/v2/template.json');
    expect(files).toContain('dist/templates/v1/template.json');
    // Files with expressions ship precompiled inside dist/index.js, not as sources.
    expect(files).not.toContain('dist/templates/common/_package.json');
    expect(files).not.toContain('dist/templates/common/_gitignore');
  });

  it('stays small: at most 416 kB (67 kB of it the licence texts), with the host in its own file and the MCP client left to the project', () => {
    expect(statSync(registry.generatorTarball).size).toBeLessThanOrEqual(416 * 1024);
    expect(registry.generatorFiles).toContain('dist/host.js');
    // Generating never loads the host: its code is not in the bundle every run starts.
    expect(readFileSync(path.join(repoRoot, 'dist/index.cjs'), 'utf8')).not.toContain('It drives any MCP server');
    expect(readFileSync(path.join(repoRoot, 'dist/host.js'), 'utf8')).toContain('It drives any MCP server');
    expect(readFileSync(path.join(repoRoot, 'dist/THIRD-PARTY-LICENSES.txt'), 'utf8')).not.toContain('@modelcontextprotocol/');
  });

  it('has no runtime dependencies, so npm create downloads exactly one package', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bundleDependencies ?? manifest.bundledDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
  });
});

describe('npm create from a registry', () => {
  it('stops, writing nothing, when npm kept the options for itself (no --), and the command it prints works', async () => {
    const cwd = scratch('cmss-create-no-separator-');
    const env = { ...registryEnv(registry.url), npm_config_cache: path.join(cwd, '.npm'), npm_config_yes: 'true' };
    const create = (args: string[]) => runCommand('npm', ['create', `mcp-sampling-server@${registry.generatorVersion}`, ...args], { cwd, env });

    const swallowed = await create(['app', '--tool', 'ask', '--no-install', '--no-git']);
    expect(swallowed.code, swallowed.output).toBe(2);
    expect(swallowed.output).toContain("npm kept --tool, --no-install, --no-git for itself: with npm create, the generator's options go after `--`. Nothing was written.");
    expect(existsSync(path.join(cwd, 'app'))).toBe(false);
    const printed = swallowed.output.split('\n').find((line) => line.startsWith('  npm create '))!.trim();
    expect(printed).toBe(`npm create mcp-sampling-server@${registry.generatorVersion} app -- --tool ask --no-install --no-git`);
    const corrected = await runCommand('sh', ['-c', printed], { cwd, env });
    expect(corrected.code, corrected.output).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'app/.create-mcp-sampling-server.json'), 'utf8'))).toMatchObject({ answers: { tool: 'ask' } });

    // npm's own --dry-run: with the generator in npm's cache, npm runs it, and it must not write a project.
    const dryRun = await create(['other', '--dry-run']);
    expect(dryRun.code, dryRun.output).toBe(2);
    expect(dryRun.output).toContain('npm kept --dry-run for itself');
    expect(existsSync(path.join(cwd, 'other'))).toBe(false);
  }, TIMEOUTS.npmCreate);

  it("runs the README's CI line as written, and its report.json is the report alone", async () => {
    const cwd = scratch('cmss-readme-ci-');
    const line = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
      .split('\n')
      .find((text) => text.includes('--json > report.json'))!
      .replace(/^\s*- run: /, '');
    expect(line).toContain(`mcp-sampling-server@${registry.generatorVersion} `);
    const env = { ...registryEnv(registry.url), npm_config_cache: path.join(cwd, '.npm'), npm_config_yes: 'true' };
    const run = await runCommand('sh', ['-c', line], { cwd, env });
    expect(run.code, run.output).toBe(0);
    const report = JSON.parse(readFileSync(path.join(cwd, 'report.json'), 'utf8')) as { ok: boolean; verify: { ok: boolean } };
    expect(report).toMatchObject({ ok: true, verify: { ok: true } });
  }, TIMEOUTS.npmCreate + TIMEOUTS.verify);

  // Measured: 51 to 62 s in all (create and install through the registry, build, the project's tests) on 2 busy cores.
  it('generates and installs a project that depends on the exact version, builds, passes its tests, and runs the generator offline', async () => {
    const version = registry.generatorVersion;
    const cwd = scratch('cmss-create-');
    // A fresh npm cache: npm exec would otherwise reuse a generator of the same version cached by an earlier run.
    // npm_config_yes answers npm exec's "Ok to proceed?" (this machine's npmrc says no), so the command line
    // stays exactly the one users type.
    const env = { ...registryEnv(registry.url), npm_config_cache: path.join(cwd, '.npm'), npm_config_yes: 'true' };
    const created = await runCommand('npm', ['create', `mcp-sampling-server@${version}`, 'app', '--', '--yes', '--no-git'], { cwd, env });
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain('Installed dependencies with npm');
    // Installed from a registry, the generator has no checkout to point the project at.
    expect(created.output).toContain('Next steps:');
    expect(created.output).not.toContain('from this checkout');

    const project = path.join(cwd, 'app');
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies[GENERATOR_PACKAGE]).toBe(version);
    const installed = path.join(project, 'node_modules', GENERATOR_PACKAGE);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect((JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version).toBe(version);
    // The very tarball published to the local registry, by its digest.
    const lock = JSON.parse(readFileSync(path.join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity?: string }> };
    const published = `sha512-${createHash('sha512').update(readFileSync(registry.generatorTarball)).digest('base64')}`;
    expect(lock.packages[`node_modules/${GENERATOR_PACKAGE}`]?.integrity).toBe(published);

    for (const script of [['run', 'build'], ['test']]) {
      const run = await runCommand('npm', script, { cwd: project, env });
      expect(run.code, run.output).toBe(0);
    }

    // No registry to reach, and no retries to wait for: a network attempt would fail the command at once.
    const offline = { ...env, npm_config_registry: await unreachableRegistry(), npm_config_fetch_retries: '0' };
    const answer = await runCommand('npx', [GENERATOR_PACKAGE, '--version'], { cwd: project, env: offline });
    expect(answer.code, answer.output).toBe(0);
    expect(answer.stdout.trim()).toBe(version);
  }, TIMEOUTS.npmCreate);
});
