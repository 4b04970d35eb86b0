/** --ship's answers: what the MCP Registry and npm would refuse is refused while generating, with the fix, writing nothing. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, scratch } from '../helpers/cli.js';
import { makeTemplate, manifest } from '../helpers/tree.js';

const QUICK = ['--yes', '--no-install', '--no-git'];

function refused(args: string[], message: RegExp, cwd = scratch()): void {
  const result = runCli(['shipped', ...QUICK, ...args], { cwd });
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(readdirSync(cwd).filter((entry) => entry !== '.git')).toEqual([]);
}

describe('--ship', () => {
  it('names the project in the MCP Registry after the GitHub repository, given or from the git remote', () => {
    const given = scratch();
    expect(runCli(['shipped', ...QUICK, '--ship', '--repository', 'https://github.com/Acme/weather.git'], { cwd: given }).status).toBe(0);
    const packageJson = JSON.parse(readFileSync(path.join(given, 'shipped/package.json'), 'utf8')) as Record<string, unknown>;
    expect(packageJson).toMatchObject({
      mcpName: 'io.github.Acme/shipped',
      repository: { type: 'git', url: 'git+https://github.com/Acme/weather.git' },
      homepage: 'https://github.com/Acme/weather#readme',
    });
    expect(JSON.parse(readFileSync(path.join(given, 'shipped/.create-mcp-sampling-server.json'), 'utf8')).command).toMatch(
      /--ship --repository https:\/\/github\.com\/Acme\/weather\.git/,
    );

    const clone = scratch();
    execFileSync('git', ['init', '-q'], { cwd: clone });
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:jane/notes.git'], { cwd: clone });
    expect(runCli(['shipped', ...QUICK, '--ship'], { cwd: clone }).status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(clone, 'shipped/package.json'), 'utf8'))).toMatchObject({ mcpName: 'io.github.jane/shipped' });
  });

  it('needs a GitHub repository: none found, or one that is not GitHub', () => {
    refused(['--ship'], /Missing --repository: .*no GitHub remote was found\. Pass one, e\.g\. --repository jane\/weather-summarizer/s);
    refused(['--ship', '--repository', 'gitlab.com/jane/notes'], /--repository .*is not a GitHub repository\. Give it as owner\/name/s);
    const elsewhere = scratch();
    execFileSync('git', ['init', '-q'], { cwd: elsewhere });
    execFileSync('git', ['remote', 'add', 'origin', 'https://gitlab.com/jane/notes.git'], { cwd: elsewhere });
    refused(['--ship'], /Missing --repository/, elsewhere);
  });

  it('refuses what the registry or npm would refuse at publish time', () => {
    refused(['--ship', '--repository', 'jane/notes', '--description', 'x'.repeat(101)], /at most 100 characters, the MCP Registry's limit \(it has 101\)/);
    refused(['--ship', '--repository', 'jane/notes', '--license', 'UNLICENSED'], /cannot publish an UNLICENSED package.*--license MIT/s);
  });

  it('takes a public URL only for an HTTP server it ships, over https and without credentials', () => {
    const url = ['--public-url', 'https://mcp.example.com/mcp'];
    refused([...url, '--transport', 'http'], /only --ship writes; add --ship or drop it/);
    refused(['--ship', '--repository', 'jane/notes', ...url], /this one is --transport stdio\. Use --transport http or both/);
    refused(['--ship', '--repository', 'jane/notes', '--transport', 'http', '--public-url', 'http://mcp.example.com/mcp'], /must be https:\/\//);
    refused(['--ship', '--repository', 'jane/notes', '--transport', 'http', '--public-url', 'https://me:pw@mcp.example.com/mcp'], /must not hold credentials/);
  });

  it.each([
    ['pnpm', 'pnpm install --frozen-lockfile', 'pnpm/action-setup@v4'],
    ['yarn', 'yarn install --frozen-lockfile', undefined],
    ['bun', 'bun install --frozen-lockfile', 'oven-sh/setup-bun@v2'],
  ])('writes workflows a validator accepts that install with %s from its lockfile', (pm, install, setup) => {
    const cwd = scratch();
    const result = runCli(['shipped', ...QUICK, '--ship', '--repository', 'jane/notes', '--pm', pm], { cwd });
    expect(result.status, result.stderr).toBe(0);
    for (const file of ['ci.yml', 'release.yml']) {
      const source = readFileSync(path.join(cwd, 'shipped/.github/workflows', file), 'utf8');
      expect(validateWorkflow(source).errors, file).toEqual([]);
      const steps = Object.values((parseYaml(source) as { jobs: Record<string, { steps: { uses?: string; run?: string }[] }> }).jobs)[0]!.steps;
      expect(steps.map((step) => step.run)).toContain(install);
      if (setup) expect(steps.map((step) => step.uses)).toContain(setup);
      else expect(steps.map((step) => step.run)).toContain('corepack enable');
    }
  });

  it("starts server.json from a team template's, keeping its fields, with the transport and remote the answers give", () => {
    const template = makeTemplate({
      'template.json': manifest(),
      'files/server.json': JSON.stringify({ title: 'Weather', packages: [{ transport: { type: 'stdio' }, runtimeHint: 'npx' }] }),
      'files/manifest.json': JSON.stringify({ display_name: 'Weather', keywords: ['weather'] }),
    });
    const url = 'https://weather.example.com/mcp';
    const http = scratch();
    const httpOnly = ['--template', template, '--ship', '--repository', 'jane/notes', '--transport', 'http', '--public-url', url];
    expect(runCli(['shipped', ...QUICK, ...httpOnly], { cwd: http }).status).toBe(0);
    const serverJson = JSON.parse(readFileSync(path.join(http, 'shipped/server.json'), 'utf8')) as Record<string, any>;
    expect(serverJson).toMatchObject({ title: 'Weather', remotes: [{ type: 'streamable-http', url }] });
    expect(serverJson.packages[0]).toMatchObject({ runtimeHint: 'npx', transport: { type: 'streamable-http' } });
    // No bundle for a server desktop hosts cannot start over stdio, even when the team template has a manifest.
    expect(readdirSync(path.join(http, 'shipped'))).not.toContain('manifest.json');

    const stdio = scratch();
    expect(runCli(['shipped', ...QUICK, '--template', template, '--ship', '--repository', 'jane/notes'], { cwd: stdio }).status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(stdio, 'shipped/manifest.json'), 'utf8'))).toMatchObject({ display_name: 'Weather', keywords: ['weather'], name: 'shipped' });
  });
});
