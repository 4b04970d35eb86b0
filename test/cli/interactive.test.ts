import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, scratch, Terminal } from '../helpers/cli.js';

let terminal: Terminal | undefined;
afterEach(() => terminal?.close());

function start(args: string, cwd: string): Terminal {
  terminal = new Terminal(`${process.execPath} ${bin} ${args}`, cwd);
  return terminal;
}

describe('on a real terminal', () => {
  it('asks the questions, refuses a bad answer in place, and generates what was answered', async () => {
    const cwd = scratch();
    const t = start('', cwd);
    await t.waitFor(/Project folder/);
    // Not a valid package name, so the name is asked (with the folder's as the suggestion).
    t.type('Talker Bot');
    t.keys('Enter');
    await t.waitFor(/Package name/);
    t.type('Bad Name');
    t.keys('Enter');
    await t.waitFor(/is not a valid npm package name/);
    t.keys(...Array<string>('Bad Name'.length).fill('BSpace'));
    t.type('@acme/talker');
    t.keys('Enter');
    await t.waitFor(/Description/);
    t.type('Says "hi" & <b>');
    t.keys('Enter');
    await t.waitFor(/Sampling tool/);
    t.keys('Down', 'Down', 'Enter'); // ask
    await t.waitFor(/Transport/);
    t.keys('Down', 'Enter'); // http
    await t.waitFor(/Authentication of HTTP callers/);
    t.keys('Down', 'Enter'); // token
    await t.waitFor(/Token budgets/);
    t.keys('Enter'); // memory
    await t.waitFor(/Deployment files/);
    t.keys('Enter'); // none
    await t.waitFor(/Adjust the tool name/);
    t.type('y'); // a confirm takes y/n without Enter
    await t.waitFor(/Tool name/);
    t.type('test_sampling');
    t.keys('Enter');
    await t.waitFor(/MCP SDK/);
    t.keys('Enter');
    await t.waitFor(/Fallback when the host cannot sample/);
    t.keys('Down', 'Down', 'Enter'); // anthropic
    await t.waitFor(/maxTokens per sampling request/);
    t.type('2048');
    t.keys('Enter');
    await t.waitFor(/Token budget per session/);
    t.keys('Enter');
    await t.waitFor(/Approval timeout in seconds/);
    t.keys('Enter');
    await t.waitFor(/Model hints/);
    t.type('claude-sonnet, gpt');
    t.keys('Enter');
    await t.waitFor(/Model priority/);
    t.keys('Down', 'Enter'); // cost
    await t.waitFor(/Prepare it for publishing/);
    t.type('y');
    await t.waitFor(/GitHub repository/);
    t.type('acme/talker');
    t.keys('Enter');
    await t.waitFor(/Public https:\/\/ URL/);
    t.type('https://talker.example.com/mcp');
    t.keys('Enter');
    await t.waitFor(/Install dependencies now\?/);
    t.type('n');
    await t.waitFor(/Initialise a git repository\?/);
    t.type('n');
    expect(await t.exitCode()).toBe(0);

    const screen = t.screen();
    expect(screen).toMatch(/Tool name … test_sampling/);
    expect(screen).toMatch(/Make the same project again/);
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'Talker Bot/package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/talker', description: 'Says "hi" & <b>' });
    const summary = (JSON.parse(readFileSync(path.join(cwd, 'Talker Bot/.create-mcp-sampling-server.json'), 'utf8')) as { command: string }).command;
    expect(summary).toMatch(/--tool ask .*--tool-name test_sampling/);
    expect(summary).toMatch(/--transport http --auth token/);
    expect(summary).toMatch(/--max-tokens 2048/);
    expect(summary).toMatch(/--model-hint claude-sonnet --model-hint gpt/);
    expect(summary).toMatch(/--priority cost/);
    expect(summary).toMatch(/--fallback anthropic/);
    expect(summary).toMatch(/--ship --repository acme\/talker --public-url https:\/\/talker\.example\.com\/mcp/);
    expect(pkg).toMatchObject({ mcpName: 'io.github.acme/talker' });
    expect(existsSync(path.join(cwd, 'Talker Bot/src/sampling/fallback.ts'))).toBe(true);
    expect(readFileSync(path.join(cwd, 'Talker Bot/src/transports/auth.ts'), 'utf8')).toContain('AUTH_TOKENS');
  });

  it('does not ask what flags already answered', async () => {
    const cwd = scratch();
    const t = start('flagged --name flagged --description d --tool ask --transport stdio --no-install --no-git', cwd);
    await t.waitFor(/Adjust the tool name/);
    expect(t.screen()).not.toMatch(/Project folder|Package name|Sampling tool|Transport|Install dependencies/);
    t.type('n');
    await t.waitFor(/Prepare it for publishing/);
    t.type('n');
    expect(await t.exitCode()).toBe(0);
    expect(existsSync(path.join(cwd, 'flagged/package.json'))).toBe(true);
  });

  it('asks only what the answers need: no package name for a folder named like one, no git inside a repository', async () => {
    const cwd = scratch();
    execFileSync('git', ['init', '-q'], { cwd });
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:acme/inside-repo.git'], { cwd });
    const t = start('--tool ask --transport stdio --no-install', cwd);
    await t.waitFor(/Project folder/);
    t.type('inside-repo');
    t.keys('Enter');
    await t.waitFor(/Description/);
    t.keys('Enter');
    await t.waitFor(/Adjust the tool name/);
    t.type('n');
    await t.waitFor(/Prepare it for publishing/);
    t.type('y');
    await t.waitFor(/GitHub repository .*acme\/inside-repo/); // the default comes from the git remote
    t.keys('Enter');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).not.toMatch(/Package name|Initialise a git repository|Public https/);
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'inside-repo/package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'inside-repo', mcpName: 'io.github.acme/inside-repo' });
  });

  it('Ctrl-C at a question ends the run with nothing written and exit code 130', async () => {
    const cwd = scratch();
    const t = start('', cwd);
    await t.waitFor(/Project folder/);
    t.keys('Enter');
    await t.waitFor(/Description/);
    t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toMatch(/Cancelled\. Nothing was written\./);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
