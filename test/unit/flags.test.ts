import { describe, expect, it } from 'vitest';
import { findUnknownFlag, helpText, parseFlags } from '../../src/options/flags.js';
import { OPTION_ENTRIES } from '../../src/options/table.js';

describe('parseFlags', () => {
  it('reads the folder, typed flags, aliases and negations', async () => {
    const { given } = await parseFlags([
      'my-server',
      '--name',
      '@acme/x',
      '--max-tokens',
      '512',
      '--model-hint',
      'claude',
      '--model-hint',
      'gpt',
      '--no-git',
      '-y',
    ]);
    expect(given).toEqual({
      directory: 'my-server',
      name: '@acme/x',
      maxTokens: '512',
      modelHint: ['claude', 'gpt'],
      git: false,
      yes: true,
    });
  });

  it('records only the options actually given, so defaults stay with the resolver', async () => {
    expect((await parseFlags([])).given).toEqual({});
  });

  it('keeps numbers as text so the table can refuse "1e3" clearly', async () => {
    expect((await parseFlags(['--max-tokens=1e3'])).given.maxTokens).toBe('1e3');
  });

  it('refuses a second folder and a repeated single-value flag', async () => {
    await expect(parseFlags(['a', 'b'])).rejects.toThrow(/one project folder but got 2/);
    await expect(parseFlags(['--tool', 'ask', '--tool', 'summarize'])).rejects.toThrow(/--tool was given 2 times/);
  });

  it('says why a second word is there: a value after a switch, a command out of place, or an unquoted name', async () => {
    await expect(parseFlags(['app', '--verify', 'yes'])).rejects.toThrow(
      '--verify is a switch and takes no value ("yes"): write --verify or --no-verify.',
    );
    await expect(parseFlags(['app', '--no-git', 'no'])).rejects.toThrow('--no-git is a switch and takes no value ("no")');
    await expect(parseFlags(['app', 'verify'])).rejects.toThrow('"verify" is a command: put it first');
    await expect(parseFlags(['my', 'server'])).rejects.toThrow('Quote a folder name that contains spaces: "my server".');
    const scattered = parseFlags(['app', '--tool', 'ask', 'summarize']);
    await expect(scattered).rejects.toThrow('every other word must follow the option it is a value of');
    await expect(parseFlags(['app', '--tool', 'ask', 'summarize'])).rejects.not.toThrow(/Quote/);
  });

  it('sees --help and --version', async () => {
    expect(await parseFlags(['--help'])).toMatchObject({ help: true });
    expect(await parseFlags(['-v'])).toMatchObject({ version: true });
  });
});

describe('findUnknownFlag', () => {
  it.each([
    [['--tol', 'ask'], /Unknown option --tol\. Did you mean --tool\?/],
    [['--max-token=5'], /Did you mean --max-tokens\?/],
    [['--no-instal'], /Unknown option --no-instal\./],
    [['-x'], /Unknown option -x\./],
    [['--frobnicate'], /Unknown option --frobnicate\. Run with --help/],
  ])('refuses %j', (argv, message) => {
    expect(findUnknownFlag(argv)?.message).toMatch(message);
  });

  it('accepts every flag of the table, negated booleans, aliases and anything after --', () => {
    const argv = OPTION_ENTRIES.filter(([, spec]) => !spec.positional).map(([, spec]) => `--${spec.flag}`);
    expect(findUnknownFlag([...argv, '--no-install', '-y', '-h', '--', '--whatever'])).toBeUndefined();
  });
});

describe('helpText', () => {
  it('lists every flag with its section and choices', async () => {
    const help = await helpText();
    for (const [, spec] of OPTION_ENTRIES) if (!spec.positional) expect(help).toContain(`--${spec.flag}`);
    expect(help).toContain('Token cost:');
    const wide = helpText(undefined, 300);
    expect(wide).toContain('[summarize | code-patterns | ask] [default: summarize]');
    expect(wide).toMatch(/--max-tokens <n> +Most output tokens/);
    // Descriptions wrap under their own column, never past the width.
    for (const line of helpText(undefined, 80).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(help).toMatch(/Exit codes: 0 done, 1 .*, 2 bad usage, 130 cancelled/);
  });
});
