/**
 * Team templates through the real binary: loaded from a folder, an npm pack tarball (from disk and over
 * HTTP through npm), and a bare git repository; presets; regeneration from the record; unsafe templates.
 * Everything renders over the real built-in template: templates/common with templates/v2.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, exampleTemplate, runCli, scratch, type CliResult } from '../helpers/cli.js';
import { bareRepo, makeTemplate, manifest, readTree, tarball } from '../helpers/tree.js';

const QUICK = ['--no-install', '--no-git'];
const RECORD = '.create-mcp-sampling-server.json';
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const cli = (args: string[], cwd: string, env?: NodeJS.ProcessEnv): CliResult => runCli(args, { cwd, ...(env ? { env } : {}) });

function record(dir: string): { template: { source: string; name: string; version: string; digest: string } | null; answers: Record<string, unknown>; command: string } {
  return JSON.parse(readFileSync(path.join(dir, RECORD), 'utf8'));
}

/** The generated tree without the record, whose template source differs between sources of one template. */
function filesWithoutRecord(dir: string): Record<string, string> {
  const { [RECORD]: _record, ...rest } = readTree(dir);
  return rest;
}

function expectRefused(result: CliResult, cwd: string, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(2);
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(readdirSync(cwd).filter((entry) => entry === 'app')).toEqual([]);
}

describe('--template from a folder (the example template)', () => {
  it('overrides the README, adds files and a question, and extends the real v2 server through partials', () => {
    const cwd = scratch();
    const result = cli(['app', '--template', exampleTemplate, '--team', 'Data `Q` "Team"', '--ci', 'gitlab', ...QUICK], cwd);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const builtin = scratch();
    expect(cli(['app', ...QUICK], builtin).status).toBe(0);
    const app = readTree(path.join(cwd, 'app'));
    const plain = readTree(path.join(builtin, 'app'));
    const text = (file: string) => Buffer.from(app[file]!, 'base64').toString('utf8');

    // Added files, and everything the template does not touch exactly as the built-in template makes it.
    expect(Object.keys(app).sort()).toEqual([...Object.keys(plain), '.gitlab-ci.yml', 'src/tools/health.ts', 'test/health.test.ts'].sort());
    const changed = Object.keys(plain).filter((file) => plain[file] !== app[file] && file !== RECORD);
    expect(changed.sort()).toEqual(['README.md', 'src/server.ts']);

    expect(text('README.md')).toMatch(/^# app\n/);
    expect(text('README.md')).toContain('Owned by **Data \\`Q\\` "Team"** at ACME');
    expect(text('README.md')).toContain('CI runs in GitLab CI');
    expect(text('src/tools/health.ts')).toContain("export const OWNER = 'Data `Q` \"Team\"';");
    expect(text('src/server.ts')).toContain("import { registerSummarizeTool } from './tools/summarize.js';\nimport { registerHealthTool } from './tools/health.js';\n");
    expect(text('src/server.ts')).toContain('  registerSummarizeTool(server, samplerFor, config);\n  registerHealthTool(server, budget);\n  return server;\n');
    // The built-in's own package.json stays; the template's package.json and README are not project files.
    expect(JSON.parse(text('package.json')).name).toBe('app');
    expect(record(path.join(cwd, 'app'))).toMatchObject({
      generator: { name: 'create-mcp-sampling-server' },
      template: { source: exampleTemplate, name: 'acme-mcp-template', version: '1.0.0', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      answers: { name: 'app', team: 'Data `Q` "Team"', ci: 'gitlab', 'health-tool': true, install: false, git: false },
    });
    expect(record(path.join(cwd, 'app')).command).toMatch(/ -- --template \S*examples\/team-template --name app .* --team 'Data `Q` "Team"' --ci gitlab --health-tool /);
  });

  it('follows conditions on answers: --no-health-tool drops the added files and the partials, --ci github replaces the workflow', () => {
    const cwd = scratch();
    expect(cli(['app', '--template', exampleTemplate, '--no-health-tool', '--ci', 'github', ...QUICK], cwd).status).toBe(0);
    const builtin = scratch();
    expect(cli(['app', ...QUICK], builtin).status).toBe(0);
    const files = Object.keys(readTree(path.join(cwd, 'app')));
    expect(files).not.toContain('src/tools/health.ts');
    expect(files).not.toContain('test/health.test.ts');
    expect(files).not.toContain('.gitlab-ci.yml');
    expect(readFileSync(path.join(cwd, 'app/.github/workflows/ci.yml'), 'utf8')).toMatch(/^# ACME's workflow/);
    // Without the health tool, the hooks render nothing: the server is the built-in one.
    expect(readFileSync(path.join(cwd, 'app/src/server.ts'), 'utf8')).toBe(readFileSync(path.join(builtin, 'app/src/server.ts'), 'utf8'));
  });

  it('shows the template questions in --help, with their choices', () => {
    const result = cli(['--help', '--template', exampleTemplate], scratch());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Template acme-mcp-template:');
    expect(result.stdout).toMatch(/--ci <choice>\s+CI service to set up \[github \| gitlab\]/);
    expect(result.stdout).toContain('--health-tool');
  });

  it('checks template answers like built-in ones and suggests template flags', () => {
    let cwd = scratch();
    expectRefused(cli(['app', '--template', exampleTemplate, '--ci', 'circle', ...QUICK], cwd), cwd, /--ci "circle": is not one of github, gitlab\. Example: --ci github/);
    cwd = scratch();
    expectRefused(cli(['app', '--template', exampleTemplate, '--helth-tool', ...QUICK], cwd), cwd, /Unknown option --helth-tool\. Did you mean --health-tool\?/);
    cwd = scratch();
    expectRefused(cli(['app', '--template', exampleTemplate, '--team', 'two\nlines', ...QUICK], cwd), cwd, /--team "two\\nlines": must be a single line/);
    cwd = scratch();
    expectRefused(cli(['app', '--ci', 'github', ...QUICK], cwd), cwd, /Unknown option --ci\./);
  });

  it('holds --sdk to the built-in template the team template extends', () => {
    const cwd = scratch();
    expectRefused(cli(['app', '--template', exampleTemplate, '--sdk', 'v1', ...QUICK], cwd), cwd, /--sdk "v1": cannot be used: the template acme-mcp-template builds on the v2 template/);
  });

  it('runs no template code: installing needs --allow-template-scripts', () => {
    const cwd = scratch();
    expectRefused(
      cli(['app', '--template', exampleTemplate, '--install', '--no-git'], cwd),
      cwd,
      /--install: would run code from the team template .* pass --allow-template-scripts/,
    );
    expectRefused(
      cli(['app', '--template', exampleTemplate, '--verify', '--no-git'], cwd),
      cwd,
      /--no-install: is off for a team template, and --verify installs the project, which runs code from the template; pass --allow-template-scripts/,
    );
    const json = cli(['app', '--template', exampleTemplate, '--no-git', '--json'], cwd);
    expect(JSON.parse(json.stdout)).toMatchObject({ install: 'skipped', options: { install: false } });
  });
});

describe('--template from an npm pack tarball', () => {
  let packed: string;
  let folderFiles: Record<string, string>;

  beforeAll(() => {
    const out = scratch('cmss-packed-');
    const [info] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', out], { cwd: exampleTemplate, encoding: 'utf8' }),
    ) as [{ filename: string }];
    packed = path.join(out, info.filename);
    const cwd = scratch();
    expect(cli(['app', '--template', exampleTemplate, ...QUICK], cwd).status).toBe(0);
    folderFiles = filesWithoutRecord(path.join(cwd, 'app'));
  });

  it('renders the same files from a local .tgz as from the folder', () => {
    const cwd = scratch();
    const result = cli(['app', '--template', packed, ...QUICK], cwd);
    expect(result.stderr).toBe('');
    expect(filesWithoutRecord(path.join(cwd, 'app'))).toEqual(folderFiles);
    expect(record(path.join(cwd, 'app')).template?.source).toBe(packed);
  });

  it('fetches a tarball URL with npm pack, and leaves no temporary folder behind', async () => {
    const server = createServer((request, response) => {
      if (request.url !== '/acme-template.tgz') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(packed));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme-template.tgz`;
    const cwd = scratch();
    const tmp = scratch('cmss-tmp-');
    try {
      // Spawned asynchronously: the test process serves the tarball meanwhile.
      const child = spawn(process.execPath, [bin, 'app', '--template', url, ...QUICK], {
        cwd,
        env: { ...process.env, TMPDIR: tmp, npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_loglevel: 'error' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(status).toBe(0);
    } finally {
      server.close();
    }
    expect(filesWithoutRecord(path.join(cwd, 'app'))).toEqual(folderFiles);
    expect(record(path.join(cwd, 'app')).template?.source).toBe(url);
    expect(readdirSync(tmp).filter((entry) => entry.startsWith('create-mcp-sampling-server-template-'))).toEqual([]);
  });

  it('refuses a tarball entry that climbs out, and a link, before writing anything', () => {
    const dir = scratch('cmss-evil-');
    const climbing = path.join(dir, 'climb.tgz');
    writeFileSync(climbing, tarball([{ name: 'package/template.json', content: manifest() }, { name: 'package/../../escaped.txt', content: 'x' }]));
    let cwd = scratch();
    expectRefused(cli(['app', '--template', climbing, ...QUICK], cwd), cwd, /climb\.tgz: the entry "package\/\.\.\/\.\.\/escaped\.txt" contains "\.\."/);
    expect(existsSync(path.join(dir, 'escaped.txt'))).toBe(false);

    const linking = path.join(dir, 'link.tgz');
    writeFileSync(linking, tarball([{ name: 'package/files/passwd', type: '2', link: '/etc/passwd' }]));
    cwd = scratch();
    expectRefused(cli(['app', '--template', linking, ...QUICK], cwd), cwd, /the entry "package\/files\/passwd" is a link; a template tarball may hold only files and folders/);
  });
});

describe('--template from a bare git repository', () => {
  let bare: string;
  let commits: string[];

  beforeAll(() => {
    ({ bare, commits } = bareRepo([{}, { 'files/NOTES.md': 'second commit\n' }], exampleTemplate));
  });

  it('fetches a tag, pins the commit in the record, and reads the sub-folder', () => {
    const cwd = scratch();
    const result = cli(['app', '--template', `git+file://${bare}#v1::path:template`, ...QUICK], cwd);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(path.join(cwd, 'app/NOTES.md'))).toBe(false);
    expect(record(path.join(cwd, 'app')).template?.source).toBe(`git+file://${bare}#${commits[0]}::path:template`);
  });

  it('takes the default branch without a ref', () => {
    const cwd = scratch();
    expect(cli(['app', '--template', `git+file://${bare}#path:template`, ...QUICK], cwd).status).toBe(0);
    expect(readFileSync(path.join(cwd, 'app/NOTES.md'), 'utf8')).toBe('second commit\n');
    expect(record(path.join(cwd, 'app')).template?.source).toBe(`git+file://${bare}#${commits[1]}::path:template`);
  });

  it('says when npm or git is missing, and what to check when npm cannot fetch a package (exit 1)', () => {
    const noTools = { PATH: scratch('cmss-empty-path-') };
    let result = cli(['app', '--template', '@acme/mcp-team-template@1', ...QUICK], scratch(), noTools);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--template @acme\/mcp-team-template@1: npm was not found on PATH; it is needed to fetch templates from a registry/);
    result = cli(['app', '--template', `git+file://${bare}#path:template`, ...QUICK], scratch(), noTools);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/git was not found on PATH; it is needed to fetch templates from a repository/);
    // Port 9 (discard) has nothing listening on 127.0.0.1 here; no retries, so npm fails at once.
    result = cli(['app', '--template', '@acme/mcp-team-template@1', ...QUICK], scratch(), { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/npm pack could not fetch it \(exit code 1\)\. Check the name and version, and the registry and auth settings in your \.npmrc/);
  });

  it('explains a ref that does not exist (exit 1) and a missing sub-folder (exit 2)', () => {
    let cwd = scratch();
    let result = cli(['app', '--template', `git+file://${bare}#nope::path:template`, ...QUICK], cwd);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/git fetch failed\. Check the URL and that "nope" exists/);
    cwd = scratch();
    result = cli(['app', '--template', `git+file://${bare}#path:elsewhere`, ...QUICK], cwd);
    expectRefused(result, cwd, /the repository has no folder elsewhere/);
  });

  it('regenerates from the record to identical files, fetching the pinned commit', () => {
    const cwd = scratch();
    expect(cli(['first', '--template', `git+file://${bare}#v1::path:template`, '--ci', 'gitlab', ...QUICK], cwd).status).toBe(0);
    const again = cli(['second', '--from', path.join(cwd, 'first', RECORD)], cwd);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(readTree(path.join(cwd, 'second'))).toEqual(readTree(path.join(cwd, 'first')));
  });
});

describe('regeneration with --from', () => {
  it('makes the same project elsewhere, byte for byte, record included', () => {
    const cwd = scratch();
    const args = ['--template', exampleTemplate, '--description', "Summarizes `logs` & it's {{fine}}", '--tool', 'ask', '--transport', 'both', '--team', 'Ops', '--model-hint', 'claude', '--no-health-tool', ...QUICK];
    expect(cli(['one', ...args], cwd).status).toBe(0);
    const other = scratch();
    const result = cli(['two', '--from', path.join(cwd, 'one', RECORD)], other);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readTree(path.join(other, 'two'))).toEqual(readTree(path.join(cwd, 'one')));
    expect(Object.keys(readTree(path.join(other, 'two')))).toContain('src/transports/http.ts');
  });

  it('makes a project with an added tool again from its record, which no longer offers a flags-only command', () => {
    const cwd = scratch();
    expect(cli(['one', ...QUICK], cwd).status).toBe(0);
    expect(record(path.join(cwd, 'one')).command).toContain('--tool summarize');
    const add = cli(['add', 'tool', 'translate', '--dir', 'one'], cwd);
    expect(add.status, add.stderr).toBe(0);
    expect(record(path.join(cwd, 'one'))).not.toHaveProperty('command');

    const other = scratch();
    const result = cli(['two', '--from', path.join(cwd, 'one', RECORD), '--json'], other);
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { command: unknown }).command).toBeNull();
    // Without git, add keeps the files it replaced in a backup folder beside them: not part of the project.
    const project = Object.entries(readTree(path.join(cwd, 'one'))).filter(([file]) => !file.startsWith('.create-mcp-sampling-server-backup-'));
    expect(readTree(path.join(other, 'two'))).toEqual(Object.fromEntries(project));
    expect(Object.keys(readTree(path.join(other, 'two')))).toContain('src/tools/translate.ts');
    expect(cli(['three', '--from', path.join(cwd, 'one', RECORD)], other).stdout).not.toContain('every answer as a flag');
  });

  it('lets flags override the record, and warns when the template changed since', () => {
    const template = makeTemplate({}, exampleTemplate);
    const cwd = scratch();
    expect(cli(['one', '--template', template, ...QUICK], cwd).status).toBe(0);
    writeFileSync(path.join(template, 'files/EXTRA.md'), 'new\n');
    const result = cli(['two', '--from', path.join(cwd, 'one', RECORD), '--ci', 'gitlab'], cwd);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/the template at .* has changed since .* was written, so files may differ/);
    expect(record(path.join(cwd, 'two')).answers.ci).toBe('gitlab');
  });

  it('refuses a file that is not a record', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'other.json'), '{"answers": {}}');
    expectRefused(cli(['app', '--from', 'other.json'], cwd), cwd, /--from other\.json: "generator" does not name create-mcp-sampling-server/);
  });

  it('records every project, also without a team template, and regenerates it', () => {
    const cwd = scratch();
    expect(cli(['one', '--tool', 'code-patterns', ...QUICK], cwd).status).toBe(0);
    expect(record(path.join(cwd, 'one'))).toMatchObject({ template: null, answers: { tool: 'code-patterns', 'tool-name': 'code_patterns' } });
    expect(cli(['two', '--from', path.join('one', RECORD)], cwd).status).toBe(0);
    expect(readTree(path.join(cwd, 'two'))).toEqual(readTree(path.join(cwd, 'one')));
  });
});

describe('--preset', () => {
  it('supplies the template and the answers; flags override it', () => {
    const cwd = scratch();
    writeFileSync(
      path.join(cwd, 'team.json'),
      JSON.stringify({ template: exampleTemplate, tool: 'ask', 'max-tokens': 512, 'model-hint': ['claude', 'gpt'], team: 'Search', ci: 'gitlab', install: false, git: false }),
    );
    const result = cli(['app', '--preset', 'team.json', '--ci', 'github'], cwd);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(record(path.join(cwd, 'app')).answers).toMatchObject({ tool: 'ask', 'max-tokens': 512, 'model-hint': ['claude', 'gpt'], team: 'Search', ci: 'github' });
    expect(existsSync(path.join(cwd, 'app/.gitlab-ci.yml'))).toBe(false);
  });

  it('names the file and the key for a bad entry', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ 'max-token': 5 }));
    expectRefused(cli(['app', '--preset', 'p.json', ...QUICK], cwd), cwd, /--preset p\.json: "max-token" cannot be set here: it is not an option \(did you mean "max-tokens"\?\)/);
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ git: 'no' }));
    expectRefused(cli(['app', '--preset', 'p.json', ...QUICK], cwd), cwd, /--preset p\.json: "git": "no" must be true or false\. Example: "git": true/);
    writeFileSync(path.join(cwd, 'p.json'), JSON.stringify({ force: true }));
    expectRefused(cli(['app', '--preset', 'p.json', ...QUICK], cwd), cwd, /"force" cannot be set here: --force controls a single run/);
    writeFileSync(path.join(cwd, 'p.json'), '{ nope');
    expectRefused(cli(['app', '--preset', 'p.json', ...QUICK], cwd), cwd, /--preset p\.json: not valid JSON/);
    expectRefused(cli(['app', '--preset', 'p.json', '--from', 'r.json', ...QUICK], cwd), cwd, /--preset and --from both supply the answers/);
  });
});

describe('unsafe or broken templates are refused with the file and the problem', () => {
  const base = (extra: Record<string, string>) => makeTemplate({ 'template.json': manifest(), ...extra });

  it.each([
    ['a link to a file outside the template', () => {
      const dir = base({});
      mkdirSync(path.join(dir, 'files'));
      symlinkSync('/etc/hostname', path.join(dir, 'files/hostname'));
      return dir;
    }, /files\/hostname is a link to .*, outside the template/],
    ['a link that climbs out with ..', () => {
      const dir = base({});
      mkdirSync(path.join(dir, 'files'));
      writeFileSync(path.join(dir, '..', `secret-${path.basename(dir)}`), 'secret');
      symlinkSync(`../../secret-${path.basename(dir)}`, path.join(dir, 'files/secret'));
      return dir;
    }, /files\/secret is a link to .*, outside the template/],
    ['a file meant for .git/', () => base({ 'files/.git/hooks/pre-commit': '#!/bin/sh\n' }), /files\/\.git\/hooks\/pre-commit would be written to \.git\/hooks\/pre-commit, which is inside \.git\//],
    ['a condition on a path that climbs out', () => base({ 'template.json': manifest({ files: { '../x': { when: { tool: ['ask'] } } } }) }), /template\.json: files\["\.\.\/x"\]: the path contains "\.\."/],
    ['an absolute condition path', () => base({ 'template.json': manifest({ files: { '/etc/x': { when: { tool: ['ask'] } } } }) }), /the path is absolute/],
    ['a FIFO', () => {
      const dir = base({});
      mkdirSync(path.join(dir, 'files'));
      execFileSync('mkfifo', [path.join(dir, 'files/pipe')]);
      return dir;
    }, /files\/pipe is not a regular file/],
    ['a binary file', () => base({ 'files/logo.png': '\x89PNG\0\0' }), /files\/logo\.png is not UTF-8 text/],
    ['raw user text', () => base({ 'template.json': manifest({ questions: [{ flag: 'team', type: 'string', describe: 'Owning team', example: 'Ops', default: 'Ops' }] }), 'files/OWNERS': 'x\n{{team}}\n' }), /files\/OWNERS line 2: writes a free-text answer without a literal helper/],
    ['an unknown helper', () => base({ 'files/a.txt': '{{shout name}}' }), /files\/a\.txt line 1: uses the helper "shout", which templates cannot call/],
    ['no manifest', () => makeTemplate({ 'files/a.txt': 'a' }), /template\.json is missing: a template is a folder with a template\.json manifest/],
    ['a manifest that is not JSON', () => base({ 'template.json': '{ "name": ' }), /template\.json: is not valid JSON/],
    ['a misspelt manifest field', () => base({ 'template.json': manifest({ extnds: 'v2' }) }), /template\.json: the manifest has an unknown field "extnds" \(did you mean "extends"\?\)/],
    ['a question taking a built-in flag', () => base({ 'template.json': manifest({ questions: [{ flag: 'name', type: 'boolean', describe: 'Clashes with --name', default: true }] }) }), /questions\[0\]\.flag "name" is already used by the generator/],
    ['a question of an unknown type', () => base({ 'template.json': manifest({ questions: [{ flag: 'colour', type: 'colour', describe: 'A colour', example: 'red' }] }) }), /questions\[0\]\.type must be one of string, integer, boolean, list, choice/],
    ['a default that fails its own check', () => base({ 'template.json': manifest({ questions: [{ flag: 'replicas', type: 'integer', min: 1, max: 5, describe: 'How many replicas', example: '2', default: 9 }] }) }), /questions\[0\]\.default 9 must be a whole number from 1 to 5/],
    ['a generator range this version is not in', () => base({ 'template.json': manifest({ generator: '>=9.0.0' }) }), /scratch works with create-mcp-sampling-server >=9\.0\.0, and this is \d+\.\d+\.\d+/],
    ['an unknown built-in template', () => base({ 'template.json': manifest({ extends: 'v9' }) }), /extends must name the built-in template this one builds on: one of v2, v1/],
  ])('%s', (_name, make, message) => {
    const template = make();
    const cwd = scratch();
    expectRefused(cli(['app', '--template', template, ...QUICK], cwd), cwd, message);
  });

  it('names the partial, and the file it renders in, when a partial uses a field that does not exist', () => {
    const template = base({ 'partials/extra-tools.hbs': 'register({{nope}});\n' });
    const cwd = scratch();
    const result = cli(['app', '--template', template, ...QUICK], cwd);
    expect(result.stderr).toMatch(/Could not render the template file .*templates\/common\/src\/server\.ts: in the partial .*partials\/extra-tools\.hbs: "nope" not defined/);
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(path.join(cwd, 'app'))).toBe(false);
  });

  it('follows a link that stays inside the template', () => {
    const dir = base({ 'shared/LICENSE': 'MIT {{json name}}\n' });
    mkdirSync(path.join(dir, 'files'));
    symlinkSync('../shared/LICENSE', path.join(dir, 'files/LICENSE'));
    const cwd = scratch();
    expect(cli(['app', '--template', dir, ...QUICK], cwd).status).toBe(0);
    expect(readFileSync(path.join(cwd, 'app/LICENSE'), 'utf8')).toBe('MIT "app"\n');
  });

  it.each([
    ['owner/repo', /reads as GitHub shorthand to npm; write git\+https:\/\/github\.com\/owner\/repo\.git/],
    ['github:owner/repo', /is a repository shorthand; write the full URL/],
    ['git+ftp://host/x.git', /must use git\+https, git\+http, git\+ssh or git\+file/],
    ['git+https://host/x.git#--upload-pack=evil', /has a git ref "--upload-pack=evil" that is not a branch, tag or commit name/],
  ])('refuses the source %s', (source, message) => {
    const cwd = scratch();
    expectRefused(cli(['app', '--template', source, ...QUICK], cwd), cwd, message);
  });
});
