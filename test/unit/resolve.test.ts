import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OptionSpec } from '../../src/options/spec.js';
import { isInteractive, resolveAnswers, type Asker } from '../../src/options/resolve.js';
import { noTerminal } from '../helpers/asker.js';

/** A folder that does not exist, outside any git repository. */
const OUTSIDE_REPO = path.join(tmpdir(), `cmss-resolve-${process.pid}`, 'srv');

/** Answers questions from a script and records which were asked. */
function scriptedAsker(script: Record<string, unknown>, advanced: boolean) {
  const asked: string[] = [];
  const asker: Asker = {
    wantsAdvanced: async () => advanced,
    ask: async (spec: OptionSpec, suggested: unknown) => {
      asked.push(spec.flag);
      return spec.flag in script ? script[spec.flag] : suggested;
    },
  };
  return { asked, asker };
}

describe('isInteractive', () => {
  const terminal = { stdinIsTTY: true, stdoutIsTTY: true, ci: undefined };
  it('asks only on a terminal, outside CI, without --yes or --json', () => {
    expect(isInteractive({}, terminal)).toBe(true);
    expect(isInteractive({}, { ...terminal, stdinIsTTY: false })).toBe(false);
    expect(isInteractive({}, { ...terminal, stdoutIsTTY: false })).toBe(false);
    expect(isInteractive({}, { ...terminal, ci: 'true' })).toBe(false);
    expect(isInteractive({}, { ...terminal, ci: 'false' })).toBe(true);
    expect(isInteractive({ yes: true }, terminal)).toBe(false);
    expect(isInteractive({ json: true }, terminal)).toBe(false);
  });
});

describe('resolveAnswers without a terminal', () => {
  it('fills every default and derives the name from the folder', async () => {
    const answers = await resolveAnswers({ directory: 'out/Weather Bot' }, false, noTerminal);
    expect(answers).toMatchObject({
      directory: 'out/Weather Bot',
      name: 'weather-bot',
      tool: 'summarize',
      toolName: 'summarize',
      transport: 'stdio',
      sdk: 'v2',
      fallback: 'none',
      maxTokens: 1024,
      tokenBudget: 50_000,
      approvalTimeout: 300,
      modelHint: [],
      priority: 'balanced',
      install: true,
      git: true,
      yes: false,
    });
  });

  it('needs the folder, and --name when the folder makes no package name', async () => {
    await expect(resolveAnswers({}, false, noTerminal)).rejects.toThrow(/Missing the project folder/);
    await expect(resolveAnswers({ directory: '日本' }, false, noTerminal)).rejects.toThrow(
      /Missing --name: the folder name "日本" does not make a valid npm package name\. Pass one, e\.g\. --name/,
    );
  });

  it('names the flag, the bad value and a good example', async () => {
    await expect(resolveAnswers({ directory: 'x', maxTokens: '0' }, false, noTerminal)).rejects.toThrow(
      '--max-tokens "0": must be a whole number from 1 to 200000 (tokens). Example: --max-tokens 1024',
    );
    await expect(resolveAnswers({ directory: 'x', name: 'Bad Name' }, false, noTerminal)).rejects.toThrow(
      /--name "Bad Name": is not a valid npm package name .*Example: --name weather-summarizer/,
    );
  });

  it('checks a default against the answers it depends on', async () => {
    await expect(resolveAnswers({ directory: 'x', maxTokens: '60000' }, false, noTerminal)).rejects.toThrow(
      '--token-budget "50000": is smaller than --max-tokens 60000, so no call could ever run. Example: --token-budget 50000',
    );
  });

  it('derives the tool name from the chosen preset', async () => {
    const answers = await resolveAnswers({ directory: 'x', tool: 'code-patterns' }, false, noTerminal);
    expect(answers.toolName).toBe('code_patterns');
  });
});

describe('resolveAnswers on a terminal', () => {
  it('asks the basic questions in table order and skips the advanced ones unless wanted', async () => {
    // Outside any git repository (this checkout is one), and named like a package: no name question.
    const { asked, asker } = scriptedAsker({ directory: OUTSIDE_REPO, tool: 'ask' }, false);
    const answers = await resolveAnswers({}, true, asker);
    expect(asked).toEqual(['directory', 'description', 'tool', 'transport', 'ship', 'install', 'git']);
    expect(answers).toMatchObject({ directory: OUTSIDE_REPO, name: 'srv', tool: 'ask', toolName: 'ask', maxTokens: 1024 });
  });

  it('asks for a package name when the folder name is not one, and not about git inside a repository', async () => {
    const { asked, asker } = scriptedAsker({ directory: 'Not A Name', name: 'fine-name' }, false);
    const answers = await resolveAnswers({}, true, asker);
    expect(asked).toEqual(['directory', 'name', 'description', 'tool', 'transport', 'ship', 'install']);
    expect(answers).toMatchObject({ name: 'fine-name', git: true });
  });

  it('asks the advanced questions when wanted', async () => {
    const { asked, asker } = scriptedAsker({ directory: 'srv', 'max-tokens': '2048' }, true);
    const answers = await resolveAnswers({}, true, asker);
    expect(asked).toContain('max-tokens');
    expect(asked).toContain('model-hint');
    expect(answers.maxTokens).toBe(2048);
  });

  it('does not ask whether to install when --verify will install', async () => {
    const { asked, asker } = scriptedAsker({ directory: 'srv' }, false);
    const answers = await resolveAnswers({ verify: true }, true, asker);
    expect(asked).not.toContain('install');
    expect(answers.install).toBe(true);
  });

  it('asks for the GitHub repository, and an HTTP server\'s public URL, only for a project to publish', async () => {
    const { asked, asker } = scriptedAsker({ ship: true, repository: 'jane/srv', 'public-url': 'https://mcp.example.com/mcp' }, false);
    const answers = await resolveAnswers({ directory: OUTSIDE_REPO, name: 'n', transport: 'http', install: false, git: false }, true, asker);
    expect(asked).toEqual(['description', 'tool', 'auth', 'store', 'deploy', 'ship', 'repository', 'public-url']);
    expect(answers).toMatchObject({ ship: true, repository: 'jane/srv', publicUrl: 'https://mcp.example.com/mcp' });

    const stdio = scriptedAsker({ ship: true, repository: 'jane/srv' }, false);
    await resolveAnswers({ directory: OUTSIDE_REPO, name: 'n', transport: 'stdio', install: false, git: false }, true, stdio.asker);
    expect(stdio.asked).toEqual(['description', 'tool', 'ship', 'repository']);
  });

  it('does not ask what a flag already answered', async () => {
    const { asked, asker } = scriptedAsker({}, false);
    await resolveAnswers({ directory: OUTSIDE_REPO, name: 'n', transport: 'http', install: false }, true, asker);
    expect(asked).toEqual(['description', 'tool', 'auth', 'store', 'deploy', 'ship', 'git']);
  });

  it('asks how HTTP callers authenticate, and where budgets live, only when the server speaks HTTP', async () => {
    const { asked, asker } = scriptedAsker({ auth: 'token', store: 'redis' }, false);
    const answers = await resolveAnswers({ directory: OUTSIDE_REPO, name: 'n', transport: 'both', install: false, git: false }, true, asker);
    expect(asked).toEqual(expect.arrayContaining(['auth', 'store']));
    expect(answers).toMatchObject({ auth: 'token', store: 'redis' });

    const stdio = scriptedAsker({}, false);
    const local = await resolveAnswers({ directory: OUTSIDE_REPO, name: 'n', transport: 'stdio', install: false, git: false }, true, stdio.asker);
    expect(stdio.asked).not.toContain('auth');
    expect(stdio.asked).not.toContain('store');
    expect(local).toMatchObject({ auth: 'none', store: 'memory' });
  });
});
