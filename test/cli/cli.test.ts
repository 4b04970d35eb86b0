import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bin, listTree, repoRoot, runCli, scratch } from '../helpers/cli.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const QUICK = ['--no-install', '--no-git'];
const { version } = readJson(path.join(repoRoot, 'package.json')) as { version: string };
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** The words a POSIX shell makes of a command line. */
function shellSplit(line: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('help and version', () => {
  it('prints help with every section and exits 0', () => {
    const result = runCli(['--help'], { cwd: scratch() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: npm create mcp-sampling-server@latest \[directory\] -- \[options\]/);
    for (const section of ['Project:', 'Sampling tool:', 'Token cost:', 'Setup:', 'Run:']) expect(result.stdout).toContain(section);
  });

  it('prints the version', () => {
    expect(runCli(['--version'], { cwd: scratch() }).stdout.trim()).toBe(version);
  });
});

describe('without a terminal', () => {
  it('never waits for an answer: a missing folder is an error naming what to pass', () => {
    const cwd = scratch();
    const result = runCli([], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Missing the project folder\. Name it as the first argument/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('generates with defaults, then prints the replay command and next steps', () => {
    const cwd = scratch();
    const result = runCli(['my-app', ...QUICK], { cwd });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pkg = readJson(path.join(cwd, 'my-app/package.json'));
    expect(pkg.name).toBe('my-app');
    expect(listTree(path.join(cwd, 'my-app'))).toContain('src');
    expect(result.stdout).toMatch(/Wrote \d+ files to /);
    expect(result.stdout).toMatch(/Next steps:\n\s+cd my-app\n\s+npm install\n\s+npm run build\n\s+npm run host +# call the tool; approve, edit or reject its sampling request here\n\s+npm test +# the unit and end-to-end tests\n/);
    // The short replay comes after the next steps; the long one is in the record.
    const short = /\n {2}(npm create mcp-sampling-server@\d+\.\d+\.\d+ <new-folder> -- --from my-app\/\.create-mcp-sampling-server\.json)\n/.exec(result.stdout)?.[1];
    expect(short).toBeDefined();
    expect(result.stdout.indexOf(short!)).toBeGreaterThan(result.stdout.indexOf('Next steps:'));
    expect(result.stdout).not.toMatch(/--name my-app/);
    const record = readJson(path.join(cwd, 'my-app/.create-mcp-sampling-server.json'));
    expect(record.command).toMatch(/^npm create mcp-sampling-server@\S+ <folder> -- --name my-app .* --no-install --no-git --yes$/);
  });

  it('prints replay commands that work as printed', () => {
    const cwd = scratch();
    const first = runCli(['first', ...QUICK, '--tool', 'ask', '--description=-starts with a dash'], { cwd });
    expect(first.status, first.stderr).toBe(0);
    // `npm create mcp-sampling-server@<version> <folder> --` runs this same binary on the folder and what follows.
    const argsOf = (command: string, folder: string) =>
      command.replace(/^npm create mcp-sampling-server@\S+ /, '').replace(/^<(new-)?folder> -- /, `${folder} `);
    const short = /\n {2}(npm create .* --from .*)\n/.exec(first.stdout)![1]!;
    const fromRecord = runCli(shellSplit(argsOf(short, 'second')), { cwd });
    expect(fromRecord.status, fromRecord.stderr).toBe(0);
    const long = readJson(path.join(cwd, 'first/.create-mcp-sampling-server.json')).command as string;
    const fromFlags = runCli(shellSplit(argsOf(long, 'third')), { cwd });
    expect(fromFlags.status, fromFlags.stderr).toBe(0);
    for (const copy of ['second', 'third']) {
      expect(readFileSync(path.join(cwd, copy, 'src/server.ts'), 'utf8')).toBe(readFileSync(path.join(cwd, 'first/src/server.ts'), 'utf8'));
      expect(readJson(path.join(cwd, copy, '.create-mcp-sampling-server.json')).answers).toEqual(readJson(path.join(cwd, 'first/.create-mcp-sampling-server.json')).answers);
    }
  });

  it('says that the project installs the generator from this checkout, which it names as a file: dependency', () => {
    const cwd = scratch();
    const result = runCli(['from-checkout', ...QUICK], { cwd });
    expect(result.status).toBe(0);
    const note = `The project installs create-mcp-sampling-server from this checkout (file:${repoRoot}), since a checkout's version (${version}) may not be on a registry.`;
    expect(result.stdout.split('\n')).toContain(note);
    const pkg = readJson(path.join(cwd, 'from-checkout/package.json')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['create-mcp-sampling-server']).toBe(`file:${repoRoot}`);
    const json = JSON.parse(runCli(['from-checkout-json', '--json', ...QUICK], { cwd }).stdout) as { notes: string[] };
    expect(json.notes).toEqual([note]);
  });

  it('accepts --yes under CI', () => {
    const cwd = scratch();
    expect(runCli(['ci-app', '--yes', ...QUICK], { cwd, env: { CI: 'true' } }).status).toBe(0);
    expect(existsSync(path.join(cwd, 'ci-app/package.json'))).toBe(true);
  });

  it('generates into "." using the folder name as the package name', () => {
    const parent = scratch();
    const cwd = path.join(parent, 'Dot Project');
    mkdirSync(cwd);
    const result = runCli(['.', ...QUICK], { cwd });
    expect(result.status).toBe(0);
    expect(readJson(path.join(cwd, 'package.json')).name).toBe('dot-project');
    expect(result.stdout).not.toMatch(/^\s+cd /m);
  });

  it('uses the package manager that ran it', () => {
    const cwd = scratch();
    const result = runCli(['pnpm-app', ...QUICK], { cwd, env: { npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.20.2 linux x64' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/pnpm create mcp-sampling-server@\S+ <new-folder> --from pnpm-app\/\.create-mcp-sampling-server\.json/);
    expect(result.stdout).toMatch(/Next steps:\n\s+cd pnpm-app\n\s+pnpm install\n\s+pnpm build\n\s+pnpm host +# call the tool[^\n]*\n\s+pnpm test +# the unit and end-to-end tests\n/);
  });

  it('finishes the job when the reader of its output has gone (`| head`), without a stack trace', async () => {
    const cwd = scratch();
    /** A run whose stdout is closed before it writes a byte, as `| head` closes it after a few lines. */
    const withStdoutClosed = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const made = await withStdoutClosed(['app', ...QUICK]);
    expect(made.stderr).not.toMatch(STACK_TRACE);
    expect(made.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'app/.create-mcp-sampling-server.json'), 'utf8'))).toHaveProperty('answers.name', 'app');
    const diff = await withStdoutClosed(['add', 'tool', 'translate', '--dir', 'app', '--dry-run']);
    expect(diff.stderr).not.toMatch(STACK_TRACE);
    expect(diff.code).toBe(0);
  });
});

describe('--license', () => {
  it('is MIT by default: package.json says so and LICENSE holds the text with this year and the project as holder', () => {
    const cwd = scratch();
    expect(runCli(['lic', ...QUICK], { cwd }).status).toBe(0);
    expect(readJson(path.join(cwd, 'lic/package.json')).license).toBe('MIT');
    const text = readFileSync(path.join(cwd, 'lic/LICENSE'), 'utf8');
    expect(text.startsWith(`MIT License\n\nCopyright (c) ${new Date().getFullYear()} The lic authors\n`)).toBe(true);
    const record = readJson(path.join(cwd, 'lic/.create-mcp-sampling-server.json')) as { answers: Record<string, unknown> };
    expect(record.answers).toMatchObject({ license: 'MIT', 'copyright-holder': 'The lic authors', 'copyright-year': new Date().getFullYear() });
  });

  it('writes the chosen text; UNLICENSED writes none and marks the package private; the summary says when there is no text', () => {
    const cwd = scratch();
    const apache = runCli(['a', ...QUICK, '--license', 'Apache-2.0', '--copyright-holder', 'ACME "Data" Team', '--copyright-year', '2024'], { cwd });
    expect(apache.status, apache.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'a/LICENSE'), 'utf8')).toMatch(/^\s*Apache License\n/);
    expect(readJson(path.join(cwd, 'a/package.json')).license).toBe('Apache-2.0');

    const closed = runCli(['u', ...QUICK, '--license', 'UNLICENSED', '--json'], { cwd });
    expect(closed.status, closed.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'u/LICENSE'))).toBe(false);
    expect(readJson(path.join(cwd, 'u/package.json'))).toMatchObject({ license: 'UNLICENSED', private: true });
    expect((JSON.parse(closed.stdout) as { notes: string[] }).notes).toContain('--license UNLICENSED: no LICENSE file, as no licence is granted');

    const noText = runCli(['n', ...QUICK, '--license', 'CC-BY-NC-4.0'], { cwd });
    expect(noText.status, noText.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'n/LICENSE'))).toBe(false);
    expect(noText.stdout).toContain('No LICENSE file written: the generator has no complete text for CC-BY-NC-4.0.');
  });

  it('refuses what is not SPDX before writing anything, suggesting the id', () => {
    const cwd = scratch();
    const result = runCli(['x', ...QUICK, '--license', 'apache 2'], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--license "apache 2": is not an SPDX license identifier or expression (did you mean Apache-2.0?)');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    [['app', '--name', 'Bad Name'], /--name "Bad Name": is not a valid npm package name .*Example: --name weather-summarizer/],
    [['app', '--name', '@scope/'], /--name "@scope\/": is not a valid npm package name/],
    [['app', '--tool', 'sumarize'], /--tool "sumarize": is not one of summarize, code-patterns, ask \(did you mean summarize\?\)/],
    [['app', '--transport', 'websocket'], /--transport "websocket": is not one of stdio, http, both\. Example: --transport stdio/],
    [['app', '--tool-name', 'my.tool'], /--tool-name "my\.tool": may contain only letters, digits/],
    [['app', '--tool-name', 'x'.repeat(65)], /is 65 characters long; hosts accept at most 64/],
    [['app', '--max-tokens', '0'], /--max-tokens "0": must be a whole number from 1 to 200000/],
    [['app', '--max-tokens', '1.5'], /--max-tokens "1\.5": must be a whole number/],
    [['app', '--approval-timeout', '5'], /--approval-timeout "5": must be a whole number from 10 to 3600 \(seconds\)/],
    [['app', '--token-budget', '100'], /--token-budget "100": is smaller than --max-tokens 1024/],
    [['app', '--priority', 'cheap'], /--priority "cheap": is not one of balanced, cost, speed, intelligence/],
    [['app', '--pm', 'npx'], /--pm "npx": is not one of npm, pnpm, yarn, bun/],
    [['app', '--description', 'two\nlines'], /--description "two\\nlines": must be a single line/],
    [['app', ...['a', 'b', 'c', 'd', 'e', 'f'].flatMap((hint) => ['--model-hint', hint])], /--model-hint .*has 6 items; at most 5/],
    [['app', '--tool-name', 'constructor'], /--tool-name "constructor": is a name every JavaScript object already has/],
    [['app', '--tool-name', '__proto__'], /--tool-name "__proto__": is a name every JavaScript object already has/],
    [['app', '--tool-name', 'toString'], /--tool-name "toString": is a name every JavaScript object already has/],
    [['app', '--tol', 'ask'], /Unknown option --tol\. Did you mean --tool\?/],
    [['app', 'extra'], /Expected one project folder but got 2/],
    [['app', '--sdk', 'v3'], /--sdk "v3": is not one of v2, v1/],
    [['app', '--auth', 'token'], /--auth "token": applies to HTTP only: add --transport http \(or both\)/],
    [['app', '--transport', 'http', '--auth', 'basic'], /--auth "basic": is not one of none, token, oauth/],
    [['app', '--store', 'redis'], /--store "redis": applies to HTTP only: add --transport http \(or both\)/],
    [['app', '--transport', 'http', '--store', 'postgres'], /--store "postgres": is not one of memory, redis/],
    [['app', '--deploy', 'docker'], /--deploy "docker": applies to HTTP only: add --transport http \(or both\)/],
    [['app', '--transport', 'http', '--deploy', 'docker', '--pm', 'pnpm'], /--pm "pnpm": the Dockerfile of --deploy docker installs with npm ci: use --pm npm/],
    [['日本', '--yes'], /Missing --name: the folder name "日本" does not make a valid npm package name/],
  ])('%j exits 2 with a clear message and writes nothing', (args, message) => {
    const cwd = scratch();
    const result = runCli([...args, ...QUICK], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a target that is a file', () => {
    const cwd = scratch();
    writeFileSync(path.join(cwd, 'taken'), 'x');
    const result = runCli(['taken', ...QUICK], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Project folder "taken": exists and is not a folder; choose another project folder\.\n/);
  });
});

describe('existing folders', () => {
  it('refuses a non-empty folder, listing what is there', () => {
    const cwd = scratch();
    mkdirSync(path.join(cwd, 'busy'));
    writeFileSync(path.join(cwd, 'busy/notes.txt'), 'mine');
    const result = runCli(['busy', ...QUICK], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Project folder "busy": is not empty \(it holds notes\.txt\)\. .*pass --force .*nothing is deleted/);
    expect(readdirSync(path.join(cwd, 'busy'))).toEqual(['notes.txt']);
  });

  it('treats a folder holding only .git as empty', () => {
    const cwd = scratch();
    mkdirSync(path.join(cwd, 'cloned/.git'), { recursive: true });
    expect(runCli(['cloned', ...QUICK], { cwd }).status).toBe(0);
    expect(existsSync(path.join(cwd, 'cloned/package.json'))).toBe(true);
  });

  it('--dry-run lists files, sizes and overwrites, and writes nothing', () => {
    const cwd = scratch();
    mkdirSync(path.join(cwd, 'busy'));
    writeFileSync(path.join(cwd, 'busy/README.md'), 'mine');
    const result = runCli(['busy', '--dry-run', '--force', ...QUICK], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Dry run: nothing is written\. \d+ files would go to/);
    expect(result.stdout).toMatch(/README\.md\s+\d+(\.\d)? (B|kB)\s+overwrite \(backed up first\)/);
    expect(result.stdout).toMatch(/package\.json\s+\d+(\.\d)? (B|kB)\n/);
    expect(readdirSync(path.join(cwd, 'busy'))).toEqual(['README.md']);
  });

  it('--force backs up and lists every overwritten file and keeps the rest', () => {
    const cwd = scratch();
    mkdirSync(path.join(cwd, 'busy'));
    writeFileSync(path.join(cwd, 'busy/README.md'), 'mine');
    writeFileSync(path.join(cwd, 'busy/notes.txt'), 'keep');
    const result = runCli(['busy', '--force', ...QUICK], { cwd });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Replaced 1 existing files; the originals are in .*\.create-mcp-sampling-server-backup-[^\n]*:\n\s+README\.md/);
    const backup = readdirSync(path.join(cwd, 'busy')).find((entry) => entry.startsWith('.create-mcp-sampling-server-backup-'))!;
    expect(readFileSync(path.join(cwd, 'busy', backup, 'README.md'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(cwd, 'busy/notes.txt'), 'utf8')).toBe('keep');
  });
});

describe('--json', () => {
  it('prints only the summary on stdout', () => {
    const cwd = scratch();
    const result = runCli(['json-app', '--json', '--tool', 'ask', ...QUICK], { cwd });
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown> & { files: { path: string }[]; timingsMs: Record<string, number> };
    expect(summary).toMatchObject({
      ok: true,
      generator: { name: 'create-mcp-sampling-server' },
      dryRun: false,
      directory: path.join(cwd, 'json-app'),
      options: { name: 'json-app', tool: 'ask', toolName: 'ask', install: false, git: false },
      install: 'skipped',
      git: { status: 'skipped' },
      backupDir: null,
    });
    expect(summary.command).toMatch(/--tool ask/);
    expect(summary.files.map((file) => file.path)).toContain('package.json');
    expect(Object.keys(summary.timingsMs)).toEqual(['options', 'render', 'write', 'git']);
  });

  it('reports a usage error as JSON too', () => {
    const result = runCli(['x', '--json', '--max-tokens', 'lots'], { cwd: scratch() });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'UsageError', message: expect.stringMatching(/--max-tokens "lots"/) } });
  });
});

describe('git', () => {
  const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com' };

  it('creates a repository with one commit of the generated files', () => {
    const cwd = scratch();
    const result = runCli(['git-app', '--no-install'], { cwd, env: identity });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Created a git repository with a first commit');
    const log = execFileSync('git', ['log', '--oneline'], { cwd: path.join(cwd, 'git-app'), encoding: 'utf8' });
    expect(log).toMatch(/Initial commit from create-mcp-sampling-server/);
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: path.join(cwd, 'git-app'), encoding: 'utf8' });
    expect(status).toBe('');
  });

  it('leaves an existing repository alone', () => {
    const cwd = scratch();
    execFileSync('git', ['init', '-q', 'repo'], { cwd });
    const result = runCli(['repo', '--no-install', '--json'], { cwd, env: identity });
    expect(JSON.parse(result.stdout).git).toEqual({ status: 'skipped', reason: 'the folder is already inside a git work tree' });
  });
});

describe('install', () => {
  it('keeps the project, explains and exits 1 when the install fails', () => {
    const cwd = scratch();
    // A registry nobody listens on: a real npm, failing fast and for real.
    const env = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: path.join(cwd, '.npm-cache'), npm_config_prefer_online: 'true' };
    const result = runCli(['broken', '--no-git'], { cwd, env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/npm install exited with code \d+\. The project is kept in broken; fix the cause shown above, then run: cd broken && npm install/);
    expect(result.stderr).toMatch(/ECONNREFUSED|network|127\.0\.0\.1/i);
    expect(existsSync(path.join(cwd, 'broken/package.json'))).toBe(true);
  });

  it('interrupted with Ctrl-C, says the files are all there and gives the one command that finishes the job', async () => {
    const cwd = scratch();
    // A registry that takes the connection and never answers holds the install until Ctrl-C.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_registry: `http://127.0.0.1:${port}/`, npm_config_cache: path.join(cwd, '.npm-cache'), npm_config_prefer_online: 'true' };
    delete env.CI;
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches the generator and npm alike.
    const child = spawn(process.execPath, [bin, 'app'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stdout).toContain('Wrote'), { timeout: TIMEOUTS.terminalOutput });
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(130);
    } finally {
      // A run that ended by a signal has no exit code either; killing a group that is gone must not hide the real failure.
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      silent.close();
    }
    expect(stderr).toContain("Install interrupted. The project's files are all in app, but its dependencies are not installed and no git repository was created. Finish with:\n  cd app && npm install && git init");
    expect(existsSync(path.join(cwd, 'app/package.json'))).toBe(true);
    expect(existsSync(path.join(cwd, 'app/.git'))).toBe(false);
  });
});
