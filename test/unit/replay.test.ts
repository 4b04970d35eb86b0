import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/options/flags.js';
import { resolveAnswers } from '../../src/options/resolve.js';
import { shellWord } from '../../src/render/literals.js';
import { answerArgs, replayCommand } from '../../src/report/replay.js';
import { GENERATOR_VERSION } from '../../src/version.js';
import { noTerminal } from '../helpers/asker.js';

/** What a POSIX shell makes of a command line: one argument per NUL-terminated chunk. */
function shellWords(line: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellWord', () => {
  it('leaves plain words alone', () => {
    expect(shellWord('my-server')).toBe('my-server');
    expect(shellWord('@acme/x')).toBe('@acme/x');
  });

  it('survives a real shell for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (words) => {
        expect(shellWords(words.map(shellWord).join(' '))).toEqual(words);
      }),
      { numRuns: 60 },
    );
  });
});

describe('replayCommand', () => {
  it('pins the version, separates flags for npm, and lists every answer', async () => {
    const answers = await resolveAnswers({ directory: 'my server', description: "it's \"fine\"", pm: 'npm' }, false, noTerminal);
    const command = replayCommand(answers);
    expect(command).toMatch(new RegExp(`^npm create mcp-sampling-server@${GENERATOR_VERSION.replace(/\./g, '\\.')} 'my server' -- --name my-server `));
    expect(command).toContain(`--description 'it'\\''s "fine"'`);
    expect(command).toMatch(/ --yes$/);
    expect(replayCommand({ ...answers, pm: 'pnpm' })).toMatch(/^pnpm create mcp-sampling-server@[^ ]+ 'my server' --name/);
    expect(replayCommand({ ...answers, pm: 'bun' })).toMatch(/^bun create mcp-sampling-server@[^ ]+ 'my server' --name/);
    // yarn 1's create cannot pin a version; npx can, and --pm yarn keeps the project yarn's.
    const yarn = replayCommand({ ...answers, pm: 'yarn' });
    expect(yarn).toMatch(/^npx create-mcp-sampling-server@[^ ]+ 'my server' --name/);
    expect(yarn).toContain(' --pm yarn ');
  });

  it('parses back to the same answers', async () => {
    const original = await resolveAnswers(
      {
        directory: 'x',
        description: 'a `b` ${c} */',
        tool: 'ask',
        modelHint: ['claude', 'gpt'],
        install: false,
        git: false,
        priority: 'cost',
      },
      false,
      noTerminal,
    );
    const words = shellWords(answerArgs(original).map(shellWord).join(' '));
    const again = await resolveAnswers((await parseFlags(words)).given, false, noTerminal);
    expect(again).toEqual({ ...original, yes: true });
  });
});

describe('values that look like something else', () => {
  // Leading dashes, numbers in any notation, commas: each must come back exactly as given.
  const tricky = fc.stringMatching(/^[-0-9xeE.,+ a-z]{1,12}$/).filter((value) => value.trim() === value && value.trim() !== '');

  it('keep their type and text through the replay command and a real shell', async () => {
    await fc.assert(
      fc.asyncProperty(tricky, fc.array(tricky, { minLength: 1, maxLength: 3 }), async (description, hints) => {
        let original;
        try {
          original = await resolveAnswers({ directory: 'x', name: 'x', description, modelHint: hints, install: false, git: false }, false, noTerminal);
        } catch {
          return; // refused with a message (e.g. a hint the table does not accept): nothing to replay
        }
        const words = shellWords(answerArgs(original).map(shellWord).join(' '));
        const again = await resolveAnswers((await parseFlags(words)).given, false, noTerminal);
        expect(again).toEqual({ ...original, yes: true });
        expect(again.description).toBe(description);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a folder named like a number a folder name', async () => {
    expect((await parseFlags(['0x10', '--model-hint', '1e3', '--model-hint', 'a,b'])).given).toMatchObject({ directory: '0x10', modelHint: ['1e3', 'a,b'] });
  });

  it('writes a value that starts with "-" joined to its flag', async () => {
    const answers = await resolveAnswers({ directory: 'x', description: '-v', modelHint: ['--help'], install: false, git: false }, false, noTerminal);
    expect(answerArgs(answers)).toEqual(expect.arrayContaining(['--description=-v', '--model-hint=--help']));
  });
});
