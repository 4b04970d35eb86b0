/** The published package, run the way `npm create` runs it. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratch } from '../helpers/cli.js';

let tarball: string;
let files: string[];
let packedBytes: number;

beforeAll(() => {
  const out = scratch('cmss-pack-');
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out, '--loglevel=error'], { cwd: repoRoot, encoding: 'utf8' }),
  ) as [{ filename: string; size: number; files: { path: string }[] }];
  tarball = path.join(out, pack.filename);
  packedBytes = pack.size;
  files = pack.files.map((file) => file.path);
});

describe('the packed tarball', () => {
  it('ships only bin/, dist/ and the package files', () => {
    for (const file of files) expect(file).toMatch(/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE$)/);
    expect(files).toContain('bin/create-mcp-sampling-server.cjs');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/THIRD-PARTY-LICENSES.txt');
    expect(files).toContain('dist/templates/common/_gitignore');
    expect(files).toContain('dist/templates/v2/template.json');
    expect(files).toContain('dist/templates/v1/template.json');
    // Files with expressions ship precompiled inside dist/index.js, not as sources.
    expect(files).not.toContain('dist/templates/common/package.json');
  });

  it('stays small: at most 300 kB, with the host in its own file and the MCP client left to the project', () => {
    expect(packedBytes).toBeLessThanOrEqual(300 * 1024);
    expect(files).toContain('dist/host.js');
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

  it('runs through npm exec like npm create does', () => {
    const cwd = scratch();
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_loglevel: 'error' };
    delete env.CI;
    execFileSync(
      'npm',
      ['exec', '--yes', `--package=${tarball}`, '--', 'create-mcp-sampling-server', 'app', '--yes', '--no-install', '--no-git'],
      { cwd, env, stdio: 'pipe' },
    );
    expect(existsSync(path.join(cwd, 'app/package.json'))).toBe(true);
    expect(existsSync(path.join(cwd, 'app/.gitignore'))).toBe(true);
  });
});
