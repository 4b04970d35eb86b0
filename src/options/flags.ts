/**
 * The command line, read with the option table as its grammar. Parsing uses yargs-parser (the parser
 * inside yargs) because loading all of yargs costs ~30 ms of start-up; full yargs is loaded only to
 * render --help.
 */
import parse from 'yargs-parser';
import { UsageError } from '../errors.js';
import { OPTION_ENTRIES, type OptionKey } from './table.js';
import { closest } from './validate.js';

export interface ParsedFlags {
  /** `generate` (the default), or `verify` an existing project. */
  command: 'generate' | 'verify';
  /** Raw values of the options given on the command line, keyed by answer key. */
  given: Partial<Record<OptionKey, unknown>>;
  help: boolean;
  version: boolean;
}

const META_FLAGS = [
  { flag: 'help', alias: 'h', describe: 'Show this help' },
  { flag: 'version', alias: 'v', describe: 'Show the version' },
] as const;

const FLAG_ROWS = OPTION_ENTRIES.filter(([, spec]) => !spec.positional);

const KNOWN_FLAGS = new Map<string, string>([
  ...OPTION_ENTRIES.filter(([, spec]) => !spec.positional).flatMap(([, spec]) => [
    [spec.flag, spec.flag] as [string, string],
    ...('alias' in spec ? [[spec.alias, spec.flag] as [string, string]] : []),
  ]),
  ...META_FLAGS.flatMap((meta) => [[meta.flag, meta.flag] as [string, string], [meta.alias, meta.flag] as [string, string]]),
]);
const BOOLEAN_FLAGS = new Set([
  ...OPTION_ENTRIES.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag),
  ...META_FLAGS.map((meta) => meta.flag),
]);

/**
 * Finds flags that are not in the table before yargs sees them, so the error can name the flag and
 * suggest the closest real one (yargs' strict mode says only "Unknown argument").
 */
export function findUnknownFlag(argv: readonly string[]): UsageError | undefined {
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') continue;
    const long = token.startsWith('--');
    const bare = token.replace(/^--?/, '').split('=')[0]!;
    const names = long ? [bare.startsWith('no-') && BOOLEAN_FLAGS.has(bare.slice(3)) ? bare.slice(3) : bare] : [...bare];
    for (const flagName of names) {
      if (KNOWN_FLAGS.has(flagName)) continue;
      const suggestion = closest(flagName, [...KNOWN_FLAGS.keys()].filter((known) => known.length > 1));
      return new UsageError(
        `Unknown option ${long ? '--' : '-'}${flagName}.${suggestion ? ` Did you mean --${suggestion}?` : ''} Run with --help to see every option.`,
      );
    }
  }
  return undefined;
}

export async function parseFlags(argv: readonly string[]): Promise<ParsedFlags> {
  const unknown = findUnknownFlag(argv);
  if (unknown) throw unknown;

  const parsed = parse([...argv], {
    boolean: [...FLAG_ROWS.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag), ...META_FLAGS.map((m) => m.flag)],
    array: FLAG_ROWS.filter(([, spec]) => spec.type === 'list').map(([, spec]) => spec.flag),
    // Numbers stay strings so "1e3" or "12abc" reach the table's own check and its clear message.
    string: FLAG_ROWS.filter(([, spec]) => spec.type !== 'boolean' && spec.type !== 'list').map(([, spec]) => spec.flag),
    alias: Object.fromEntries([
      ...FLAG_ROWS.flatMap(([, spec]) => (spec.alias ? [[spec.flag, spec.alias]] : [])),
      ...META_FLAGS.map((meta) => [meta.flag, meta.alias]),
    ]),
    configuration: { 'strip-dashed': true, 'strip-aliased': true, 'greedy-arrays': false, 'duplicate-arguments-array': true },
  });

  const given: Partial<Record<OptionKey, unknown>> = {};
  const positionals = parsed._.map(String);
  // `verify [directory]` checks an existing project; a project folder named verify is written ./verify.
  const command = positionals[0] === 'verify' ? 'verify' : 'generate';
  if (command === 'verify') positionals.shift();
  if (positionals.length > 1) {
    throw new UsageError(
      `Expected one project folder but got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(', ')}. ` +
        'Quote a folder name that contains spaces.',
    );
  }
  if (positionals[0] !== undefined) given.directory = positionals[0];

  for (const [key, spec] of FLAG_ROWS) {
    const value: unknown = parsed[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && spec.type !== 'list') {
      throw new UsageError(`--${spec.flag} was given ${value.length} times; give it once. Example: --${spec.flag} ${spec.example}`);
    }
    given[key] = value;
  }
  return { command, given, help: parsed.help === true, version: parsed.version === true };
}

/** --help, laid out by yargs from the same table. */
export async function helpText(): Promise<string> {
  const { default: yargs } = await import('yargs');
  let help = yargs([])
    .scriptName('create-mcp-sampling-server')
    .usage(
      'Usage: npm create mcp-sampling-server@latest [directory] -- [options]\n\n' +
        'Generates a tested TypeScript MCP server whose tool asks the host model for completions (sampling).\n' +
        'directory: the folder to create ("." for the current one); asked for on a terminal, required otherwise.',
    )
    .help(false)
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100));
  for (const [, spec] of FLAG_ROWS) {
    const shown = typeof spec.default === 'function' || spec.control ? undefined : spec.default;
    help = help.option(spec.flag, {
      type: spec.type === 'boolean' ? 'boolean' : spec.type === 'list' ? 'array' : spec.type === 'integer' ? 'number' : 'string',
      ...(spec.alias ? { alias: spec.alias } : {}),
      group: `${spec.group}:`,
      describe: 'choices' in spec ? `${spec.describe} [${spec.choices.map((choice) => choice.value).join(' | ')}]` : spec.describe,
      ...(shown === undefined || (Array.isArray(shown) && shown.length === 0) ? {} : { default: shown }),
    });
  }
  for (const meta of META_FLAGS) {
    help = help.option(meta.flag, { type: 'boolean', alias: meta.alias, describe: meta.describe, group: 'Run:' });
  }
  return help
    .example('$0 my-server', 'ask the questions, then generate ./my-server')
    .example('$0 my-server --yes --tool ask --transport http', 'no questions; every other option takes its default')
    .example('$0 verify my-server --json', 'install, type-check, build, test and drive an existing project')
    .epilog(
      [
        'Without a terminal (CI, pipes), with --yes or with --json, nothing is asked: options not given take their defaults.',
        'Exit codes: 0 done, 1 a step failed (e.g. install), 2 bad usage, 130 cancelled.',
      ].join('\n'),
    )
    .getHelp();
}
