/**
 * `update`, as users run it: version N of the generator (this checkout with its templates edited as a release
 * would, version 0.0.9) and N+1 (this checkout, the run's published version) are both in the local registry.
 * A project is made with N and changed as a user would change it: an edit the new version does not touch, an
 * edit of lines it changes, a deleted file, a dependency and a script of their own, a file of their own. N+1's
 * `update` (installed from the registry, fetching N from it to render the base) gives every file its fate; the
 * project without a conflict then installs, builds and passes its tests. Also: --check, --dry-run, a dirty tree,
 * team templates from git, npm and a folder, and SIGKILL at random moments of an update.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createUi } from '../../src/report/ui.js';
import { withFolderHeld } from '../../src/write/hold.js';
import { exampleTemplate, repoRoot, scratch } from '../helpers/cli.js';
import { bareRepo } from '../helpers/tree.js';
import { buildGeneratorVersion, replaceIn } from '../helpers/older-generator.js';
import { runCommand } from '../helpers/processes.js';
import { linkSharedInstall } from '../helpers/projects.js';
import { installGenerator, publishTo, registryEnv } from '../helpers/registry.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const registry = inject('registry');
const OLD = '0.0.9';
const NEW = registry.generatorVersion;
const RECORD = '.create-mcp-sampling-server.json';
const GIT_ENV = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

let work: string;
let newBin: string;
let oldBin: string;
/** The fetched versions' cache, so the test sees the fetch and nothing of the user's own cache. */
let cacheHome: string;
/** A project made with N and edited (no conflicting edit), committed: copied for each test. */
let edited: string;

const env = () => ({ ...registryEnv(registry.url), XDG_CACHE_HOME: cacheHome, ...GIT_ENV });
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
const update = (cwd: string, ...args: string[]) => runCommand(process.execPath, [newBin, 'update', ...args], { cwd, env: env() });

/** Version N: what this version's templates were "before" each change N+1 makes. */
function editIntoOldVersion(templates: string): void {
  replaceIn(path.join(templates, 'common/src/log.ts'), ' * Structured logging to stderr, one JSON object per line.', ' * Logging to stderr as JSON lines.');
  replaceIn(path.join(templates, 'common/src/config.ts'), "read.integer('SAMPLING_MAX_TOKENS', {{maxTokens}}, { min: 1 })", "read.integer('SAMPLING_MAX_TOKENS', {{maxTokens}}, { min: 16 })");
  replaceIn(path.join(templates, 'common/COSTS.md'), '# What sampling costs\n', '# What sampling costs you\n');
  replaceIn(path.join(templates, 'common/README.md'), '## Quick start\n', '## Quick start guide\n');
  replaceIn(path.join(templates, 'common/_package.json'), '"zod": "^4.2.0"', '"zod": "^4.1.0"');
  rmSync(path.join(templates, 'common/test/tokens.test.ts'));
  mkdirSync(path.join(templates, 'common/docs'));
  writeFileSync(path.join(templates, 'common/docs/upgrading.md'), '# Upgrading\n\nNotes that N+1 no longer ships.\n');
}

/** What a user does to a project over a few weeks, then commits. */
function editAsAUser(project: string): void {
  writeFileSync(path.join(project, 'src/log.ts'), `${readFileSync(path.join(project, 'src/log.ts'), 'utf8')}\n/** Bumped when the log format changes. */\nexport const LOG_FORMAT = 1;\n`);
  rmSync(path.join(project, 'COSTS.md'));
  writeFileSync(path.join(project, 'src/mine.ts'), 'export const mine = true;\n');
  const manifestFile = path.join(project, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
  manifest.dependencies['kleur'] = '^4.1.5';
  manifest.scripts['mine'] = 'node -e "console.log(1)"';
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  git(project, 'add', '-A');
  git(project, 'commit', '-qm', 'my changes');
}

/** A fresh copy of a committed project (with its history), so each test starts from the same state. */
function copyOf(project: string, name: string): string {
  const copy = path.join(scratch(`cmss-update-${name}-`), 'my-server');
  cpSync(project, copy, { recursive: true });
  return copy;
}

function fatesOf(stdout: string): Record<string, string> {
  const report = JSON.parse(stdout) as { files: { path: string; fate: string }[] };
  return Object.fromEntries(report.files.filter((file) => file.fate !== 'unchanged').map((file) => [file.path, file.fate]));
}

beforeAll(async () => {
  work = scratch('cmss-update-');
  cacheHome = path.join(work, 'cache');
  // Tagged, so that `npm create mcp-sampling-server` elsewhere in the run still gets this checkout's version.
  publishTo(registry.url, await buildGeneratorVersion(OLD, editIntoOldVersion), 'previous');
  [oldBin, newBin] = await Promise.all([installGenerator(registry.url, OLD), installGenerator(registry.url, NEW)]);
  const made = await runCommand(process.execPath, [oldBin, 'my-server', '--yes', '--no-install'], { cwd: work, env: env() });
  expect(made.code, made.output).toBe(0);
  edited = path.join(work, 'my-server');
  editAsAUser(edited);
}, TIMEOUTS.updateSetup);

describe('update from N to N+1', () => {
  it('gives every file its fate, writes conflicts with markers and lists them, and exits 1', async () => {
    const project = copyOf(edited, 'conflict');
    replaceIn(path.join(project, 'src/config.ts'), '1024, { min: 16 })', '1024, { min: 4 })');
    replaceIn(path.join(project, 'package.json'), '"zod": "^4.1.0"', '"zod": "4.1.5"');
    git(project, 'commit', '-qam', 'a floor of my own, zod pinned');

    const result = await update(project, '--json');
    expect(result.code, result.output).toBe(1);
    expect(fatesOf(result.stdout)).toEqual({
      [RECORD]: 'updated',
      'COSTS.md': 'deleted-kept',
      'README.md': 'updated',
      'docs/upgrading.md': 'removed',
      'package.json': 'conflict',
      'src/config.ts': 'conflict',
      'src/log.ts': 'merged',
      'test/tokens.test.ts': 'added',
    });
    const report = JSON.parse(result.stdout) as { files: { path: string; note?: string }[] };
    expect(report).toMatchObject({ ok: false, conflicts: ['package.json', 'src/config.ts'], from: { generator: OLD }, to: { generator: NEW } });
    // package.json is merged as JSON: the pin stays and is named, the rest of the new version is taken.
    expect(report.files.find((file) => file.path === 'package.json')?.note).toBe('both changed dependencies.zod (yours kept; the new version has "^4.2.0")');
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.dependencies).toMatchObject({ zod: '4.1.5', kleur: '^4.1.5' });
    expect(manifest.devDependencies!['create-mcp-sampling-server']).toBe(NEW);

    const config = readFileSync(path.join(project, 'src/config.ts'), 'utf8');
    expect(config).toContain(`<<<<<<< yours\n    maxTokens: read.integer('SAMPLING_MAX_TOKENS', 1024, { min: 4 }),\n=======\n    maxTokens: read.integer('SAMPLING_MAX_TOKENS', 1024, { min: 1 }),\n>>>>>>> create-mcp-sampling-server ${NEW}\n`);
    // The text report names the conflict and what to do.
    const again = copyOf(edited, 'conflict-text');
    replaceIn(path.join(again, 'src/config.ts'), '1024, { min: 16 })', '1024, { min: 4 })');
    git(again, 'commit', '-qam', 'a floor of my own');
    const text = await update(again);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/src\/config\.ts\s+CONFLICT/);
    expect(text.stdout).toContain('Resolve the conflicts:\n  src/config.ts: between the <<<<<<< and >>>>>>> markers');
  }, TIMEOUTS.updateRun);

  it('keeps every user change, takes every new line, and the project installs, builds and passes its tests', async () => {
    const project = copyOf(edited, 'clean');
    const result = await update(project);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain(`Changed . (create-mcp-sampling-server ${OLD} to ${NEW}):`);
    expect(result.stdout).toContain('Next: npm install && npm test');

    // Theirs: new lines, a new file, a file dropped, a dependency bumped, the generator pinned to N+1.
    expect(readFileSync(path.join(project, 'src/log.ts'), 'utf8')).toContain(' * Structured logging to stderr, one JSON object per line.');
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toContain('## Quick start\n');
    expect(existsSync(path.join(project, 'test/tokens.test.ts'))).toBe(true);
    expect(existsSync(path.join(project, 'docs'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.dependencies!['zod']).toBe('^4.2.0');
    expect(manifest.devDependencies!['create-mcp-sampling-server']).toBe(NEW);
    // Ours: the edit, the deletion, the dependency, the script and the file of the user's own.
    expect(readFileSync(path.join(project, 'src/log.ts'), 'utf8')).toContain('export const LOG_FORMAT = 1;');
    expect(existsSync(path.join(project, 'COSTS.md'))).toBe(false);
    expect(manifest.dependencies!['kleur']).toBe('^4.1.5');
    expect(manifest.scripts!['mine']).toBe('node -e "console.log(1)"');
    expect(readFileSync(path.join(project, 'src/mine.ts'), 'utf8')).toBe('export const mine = true;\n');
    // The record says what made the project now; git held the old files, so no backup is left behind.
    const record = JSON.parse(readFileSync(path.join(project, RECORD), 'utf8')) as { generator: { version: string } };
    expect(record.generator.version).toBe(NEW);
    expect(readdirSync(project).filter((entry) => entry.includes('backup'))).toEqual([]);
    // N was fetched from the registry once, into the cache.
    expect(existsSync(path.join(cacheHome, 'create-mcp-sampling-server/generators', OLD, 'node_modules/create-mcp-sampling-server/bin'))).toBe(true);

    // The shared installs take the generator from this checkout, as every generated-project test does.
    manifest.devDependencies!['create-mcp-sampling-server'] = `file:${repoRoot}`;
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await linkSharedInstall(project);
    const tested = await runCommand('npm', ['test'], { cwd: project });
    expect(tested.code, tested.output).toBe(0);
    expect(tested.output).toMatch(/tokens\.test\.ts/);
  }, TIMEOUTS.updateRun + TIMEOUTS.sharedInstall + TIMEOUTS.projectSetup);

  it('with --check, exits 1 while a newer version exists and 0 once updated', async () => {
    const project = copyOf(edited, 'check');
    const before = await update(project, '--check');
    expect(before.code, before.output).toBe(1);
    expect(before.stdout).toContain(`create-mcp-sampling-server ${NEW} is out; this project was made with ${OLD}.`);
    expect(before.stdout).toContain('Update with: npx create-mcp-sampling-server@latest update .');
    expect((await update(project)).code).toBe(0);
    git(project, 'commit', '-qam', 'update');
    const after = await update(project, '--check', '--json');
    expect(after.code, after.output).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ updateAvailable: false, generator: { recorded: NEW, latest: NEW } });
  }, TIMEOUTS.updateRun);

  it('with --dry-run, prints a unified diff and writes nothing', async () => {
    const project = copyOf(edited, 'dry-run');
    const result = await update(project, '--dry-run');
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('--- a/src/log.ts\n+++ b/src/log.ts\n');
    expect(result.stdout).toContain('- * Logging to stderr as JSON lines. stdout belongs to the stdio transport, so\n+ * Structured logging to stderr, one JSON object per line. stdout');
    expect(result.stdout).toContain('--- /dev/null\n+++ b/test/tokens.test.ts\n');
    expect(result.stdout).toContain('--- a/docs/upgrading.md\n+++ /dev/null\n');
    expect(result.stdout).toContain('Nothing was written (--dry-run).');
    expect(git(project, 'status', '--porcelain')).toBe('');
  }, TIMEOUTS.updateRun);

  it('refuses uncommitted changes, naming them, unless --allow-dirty (which keeps a backup)', async () => {
    const project = copyOf(edited, 'dirty');
    writeFileSync(path.join(project, 'src/mine.ts'), 'export const mine = false;\n');
    const refused = await update(project);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('has uncommitted changes (src/mine.ts). Commit or stash them first');
    expect(git(project, 'status', '--porcelain')).toBe(' M src/mine.ts\n');

    const allowed = await update(project, '--allow-dirty');
    expect(allowed.code, allowed.output).toBe(0);
    const backup = readdirSync(project).find((entry) => entry.startsWith('.create-mcp-sampling-server-backup-'));
    expect(backup).toBeDefined();
    expect(allowed.stdout).toContain(`backed up in ${backup}`);
    expect(readFileSync(path.join(project, backup!, 'src/log.ts'), 'utf8')).toContain(' * Logging to stderr as JSON lines.');
    expect(readFileSync(path.join(project, 'src/mine.ts'), 'utf8')).toBe('export const mine = false;\n');
  }, TIMEOUTS.updateRun);

  it('says what is wrong with a folder that is not a generated project, or an answer that is not valid', async () => {
    const empty = scratch('cmss-update-empty-');
    const notProject = await update(empty);
    expect(notProject.code).toBe(2);
    expect(notProject.output).toContain(`. has no ${RECORD}, so it was not made by create-mcp-sampling-server`);
    const project = copyOf(edited, 'bad-answer');
    const badSdk = await update(project, '--sdk', 'v3');
    expect(badSdk.code).toBe(2);
    expect(badSdk.output).toMatch(/--sdk/);
    const recordFile = path.join(project, RECORD);
    const recorded = readFileSync(recordFile, 'utf8');
    writeFileSync(recordFile, recorded.replace(`"version": "${OLD}"`, '"version": "9.9.9"'));
    const newer = await update(project, '--allow-dirty');
    expect(newer.code).toBe(2);
    expect(newer.output).toContain(`was made by create-mcp-sampling-server 9.9.9, newer than this one (${NEW}). Run: npx create-mcp-sampling-server@latest update`);
    writeFileSync(recordFile, recorded);
    const stray = await update(project, '--force');
    expect(stray.code).toBe(2);
    expect(stray.output).toContain('update does not take --force: nothing is overwritten unseen: changes are merged into your files.');
    expect(git(project, 'status', '--porcelain')).toBe('');
  }, TIMEOUTS.updateRun);
});

/** The environment of a user's shell: npx fetches the generator from the local registry, into a cache of its own. */
const userShell = (cwd: string) => ({ cwd, env: { ...env(), npm_config_cache: path.join(work, 'npm-cache'), npm_config_yes: 'true' } });

/** A README section, from its heading to the next one. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe("the generated README's update commands, run as written", () => {
  it('check, show and apply an update', async () => {
    const project = copyOf(edited, 'readme');
    const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
    const commands = [...section(readme, 'Update to a newer generator').replace(/\n/g, ' ').matchAll(/`(npx create-mcp-sampling-server[^`]*)`/g)].map((match) => match[1]!);
    expect(commands).toEqual([
      'npx create-mcp-sampling-server@latest update --check',
      'npx create-mcp-sampling-server@latest update --dry-run',
      'npx create-mcp-sampling-server@latest update',
    ]);
    const [check, dryRun, apply] = commands;
    const checked = await runCommand('sh', ['-c', check!], userShell(project));
    expect(checked.code, checked.output).toBe(1);
    expect(checked.stdout).toContain(`${NEW} is out`);
    const shown = await runCommand('sh', ['-c', dryRun!], userShell(project));
    expect(shown.code, shown.output).toBe(0);
    expect(shown.stdout).toContain('+++ b/test/tokens.test.ts');
    const applied = await runCommand('sh', ['-c', apply!], userShell(project));
    expect(applied.code, applied.output).toBe(0);
    expect(existsSync(path.join(project, 'test/tokens.test.ts'))).toBe(true);
  }, TIMEOUTS.updateRun);
});

describe('update --sdk v2, the documented move of a v1 project', () => {
  it("keeps the user's edits, and the project builds and passes its tests", async () => {
    const made = await runCommand(process.execPath, [newBin, 'v1-server', '--yes', '--sdk', 'v1', '--no-install'], { cwd: work, env: env() });
    expect(made.code, made.output).toBe(0);
    const project = path.join(work, 'v1-server');
    replaceIn(path.join(project, 'src/tools/summarize.ts'), "title: 'Summarize with the host model'", "title: 'Summarize, our way'");
    writeFileSync(path.join(project, 'src/server.ts'), `${readFileSync(path.join(project, 'src/server.ts'), 'utf8')}\n// Reviewed by the platform team.\n`);
    writeFileSync(path.join(project, 'src/mine.ts'), 'export const mine = true;\n');
    git(project, 'add', '-A');
    git(project, 'commit', '-qm', 'our changes');

    // The README's "Moving to v2" commands, as written: a dry run, the move, then install and test.
    const block = /## Moving to v2[\s\S]*?```sh\n([\s\S]*?)```/.exec(readFileSync(path.join(project, 'README.md'), 'utf8'))![1]!.trim().split('\n');
    expect(block).toEqual(['npx create-mcp-sampling-server@latest update --sdk v2 --dry-run', 'npx create-mcp-sampling-server@latest update --sdk v2', 'npm install && npm test']);
    const shown = await runCommand('sh', ['-c', block[0]!], userShell(project));
    expect(shown.code, shown.output).toBe(0);
    expect(shown.stdout).toContain('+    "@modelcontextprotocol/server"');
    const moved = await runCommand('sh', ['-c', block[1]!], userShell(project));
    expect(moved.code, moved.output).toBe(0);
    expect(moved.stdout).toMatch(/src\/server\.ts\s+merged with your changes/);

    expect(readFileSync(path.join(project, 'src/tools/summarize.ts'), 'utf8')).toContain("title: 'Summarize, our way'");
    expect(readFileSync(path.join(project, 'src/server.ts'), 'utf8')).toContain('// Reviewed by the platform team.');
    expect(readFileSync(path.join(project, 'src/server.ts'), 'utf8')).toContain('era');
    expect(readFileSync(path.join(project, 'src/mine.ts'), 'utf8')).toBe('export const mine = true;\n');
    const manifest = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toContain('@modelcontextprotocol/server');
    expect(Object.keys(manifest.dependencies)).not.toContain('@modelcontextprotocol/sdk');
    expect((JSON.parse(readFileSync(path.join(project, RECORD), 'utf8')) as { answers: { sdk: string } }).answers.sdk).toBe('v2');

    // The last line's install is the shared one, with the generator from this checkout; then the tests as written.
    manifest.devDependencies['create-mcp-sampling-server'] = `file:${repoRoot}`;
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await linkSharedInstall(project);
    const tested = await runCommand('sh', ['-c', block[2]!.replace('npm install && ', '')], { cwd: project });
    expect(tested.code, tested.output).toBe(0);
  }, TIMEOUTS.updateRun + TIMEOUTS.sharedInstall + TIMEOUTS.projectSetup);
});

describe('a project made from a team template in git', () => {
  it('updates to the default branch: base at the recorded commit, the new one at its head', async () => {
    const readme = readFileSync(path.join(exampleTemplate, 'files/README.md'), 'utf8');
    const { bare, commits } = bareRepo([{}, { 'files/NOTES.md': 'Team notes.\n', 'files/README.md': `${readme}\nAsk #platform for help.\n` }], exampleTemplate);
    const made = await runCommand(process.execPath, [newBin, 'team-app', '--template', `git+file://${bare}#v1::path:template`, '--yes', '--no-install'], { cwd: work, env: env() });
    expect(made.code, made.output).toBe(0);
    const project = path.join(work, 'team-app');
    writeFileSync(path.join(project, 'src/server.ts'), `${readFileSync(path.join(project, 'src/server.ts'), 'utf8')}\n// Ours.\n`);
    git(project, 'commit', '-qam', 'ours');

    const checked = await update(project, '--check', '--json');
    expect(checked.code, checked.output).toBe(1);
    expect(JSON.parse(checked.stdout)).toMatchObject({
      updateAvailable: true,
      generator: { newer: false },
      template: { recorded: `git+file://${bare}#${commits[0]}::path:template`, latest: `git+file://${bare}#${commits[1]}::path:template`, newer: true },
    });

    const result = await update(project, '--json');
    expect(result.code, result.output).toBe(0);
    expect(fatesOf(result.stdout)).toEqual({ [RECORD]: 'updated', 'NOTES.md': 'added', 'README.md': 'updated' });
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toContain('Ask #platform for help.');
    expect(readFileSync(path.join(project, 'src/server.ts'), 'utf8')).toContain('// Ours.');
    const record = JSON.parse(readFileSync(path.join(project, RECORD), 'utf8')) as { template: { source: string } };
    expect(record.template.source).toBe(`git+file://${bare}#${commits[1]}::path:template`);
  }, TIMEOUTS.updateRun);
});

describe('a project made from a team template on npm', () => {
  it('updates to its latest version: base at the recorded version, the new one at latest', async () => {
    const name = '@acme/update-team-template';
    const readme = readFileSync(path.join(exampleTemplate, 'files/README.md'), 'utf8');
    /** The example template released as `name` at `version`, with `files` changed. */
    const release = (version: string, files: Record<string, string> = {}) => {
      const folder = path.join(scratch('cmss-update-npm-template-'), 'template');
      cpSync(exampleTemplate, folder, { recursive: true });
      for (const file of ['package.json', 'template.json']) {
        const manifest = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Record<string, unknown>;
        writeFileSync(path.join(folder, file), `${JSON.stringify({ ...manifest, ...(file === 'package.json' ? { name } : {}), version }, null, 2)}\n`);
      }
      for (const [file, content] of Object.entries(files)) writeFileSync(path.join(folder, file), content);
      publishTo(registry.url, folder);
    };
    release('1.0.0');
    const made = await runCommand(process.execPath, [newBin, 'npm-team-app', '--template', `${name}@^1`, '--yes', '--no-install'], { cwd: work, env: env() });
    expect(made.code, made.output).toBe(0);
    const project = path.join(work, 'npm-team-app');
    const recorded = () => (JSON.parse(readFileSync(path.join(project, RECORD), 'utf8')) as { template: { source: string; version: string } }).template;
    expect(recorded()).toMatchObject({ source: `${name}@1.0.0`, version: '1.0.0' });
    writeFileSync(path.join(project, 'src/server.ts'), `${readFileSync(path.join(project, 'src/server.ts'), 'utf8')}\n// Ours.\n`);
    git(project, 'commit', '-qam', 'ours');

    expect((await update(project, '--check')).code).toBe(0);
    release('1.1.0', { 'files/NOTES.md': 'Team notes.\n', 'files/README.md': `${readme}\nAsk #platform for help.\n` });
    const checked = await update(project, '--check', '--json');
    expect(checked.code, checked.output).toBe(1);
    expect(JSON.parse(checked.stdout)).toMatchObject({ template: { recorded: `${name}@1.0.0`, latest: `${name}@1.1.0`, newer: true } });

    const result = await update(project, '--json');
    expect(result.code, result.output).toBe(0);
    expect(fatesOf(result.stdout)).toEqual({ [RECORD]: 'updated', 'NOTES.md': 'added', 'README.md': 'updated' });
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toContain('Ask #platform for help.');
    expect(readFileSync(path.join(project, 'src/server.ts'), 'utf8')).toContain('// Ours.');
    expect(recorded()).toMatchObject({ source: `${name}@1.1.0`, version: '1.1.0' });
  }, 2 * TIMEOUTS.updateRun);
});

describe('a project made from a team template in a folder', () => {
  it('says that a folder keeps no earlier versions, and updates for the generator alone', async () => {
    const template = path.join(scratch('cmss-update-folder-template-'), 'template');
    cpSync(exampleTemplate, template, { recursive: true });
    const made = await runCommand(process.execPath, [newBin, 'folder-app', '--template', template, '--yes', '--no-install'], { cwd: work, env: env() });
    expect(made.code, made.output).toBe(0);
    const project = path.join(work, 'folder-app');
    writeFileSync(path.join(template, 'files/NOTES.md'), 'Added to the folder later.\n');

    const checked = await update(project, '--check');
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`Team template: ${template} has changed since the project was made.`);
    const result = await update(project);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`The team template is the folder ${template}, and a folder keeps no earlier versions`);
    expect(existsSync(path.join(project, 'NOTES.md'))).toBe(false);
  }, TIMEOUTS.updateRun);
});

describe('a kill during update', () => {
  it('leaves the project as it was or fully updated, after the next run recovers it', async () => {
    const project = copyOf(edited, 'kill');
    const status = () => git(project, 'status', '--porcelain', '--untracked-files=all', '--ignored');
    const reset = () => {
      git(project, 'reset', '-q', '--hard');
      git(project, 'clean', '-qfdx');
    };
    // The fully updated tree, and a whole update's duration to spread the kills over.
    const started = performance.now();
    expect((await update(project)).code).toBe(0);
    const duration = performance.now() - started;
    git(project, 'add', '-A');
    const complete = git(project, 'write-tree');
    reset();

    // Most kills land while the two versions render; the unit test (write-kill) aims hundreds at the write itself.
    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawn(process.execPath, [newBin, 'update'], { cwd: project, env: { ...process.env, ...env() }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      setTimeout(() => child.kill('SIGKILL'), (duration * (kill + 0.5)) / KILLS);
      await exited;
      // What the next run does first: take over the dead run's lock, undo a write it left half-done.
      withFolderHeld(project, createUi(true), () => undefined);
      if (status() !== '') {
        git(project, 'add', '-A');
        expect(git(project, 'write-tree'), `kill ${kill}: neither as it was nor fully updated:\n${status()}`).toBe(complete);
      }
      reset();
    }
    // And a run after a kill, as the user would start it, finishes the update.
    const child = spawn(process.execPath, [newBin, 'update'], { cwd: project, env: { ...process.env, ...env() }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    setTimeout(() => child.kill('SIGKILL'), duration / 2);
    await exited;
    expect((await update(project)).code).toBe(0);
    git(project, 'add', '-A');
    expect(git(project, 'write-tree')).toBe(complete);
  }, TIMEOUTS.updateKills);
});

const KILLS = 12;
