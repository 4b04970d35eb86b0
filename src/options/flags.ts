/**
 * The command line, read with the option table as its grammar, and --help, laid out from the same table.
 * Parsing uses yargs-parser, the parser inside yargs: all of yargs costs ~30 ms of start-up and ~110 kB
 * of package for what it would add, the layout of --help.
 */
import parse from 'yargs-parser';
import { UsageError } from '../errors.js';
import type { GivenValues, OptionEntries, OptionSpec } from './spec.js';
import { OPTION_ENTRIES } from './table.js';
import { closest } from './validate.js';

export interface ParsedFlags {
  /** `generate` (the default), or `verify` an existing project. */
  command: 'generate' | 'verify';
  /** Raw values of the options given on the command line, keyed by answer key. */
  given: GivenValues;
  help: boolean;
  version: boolean;
}

const META_FLAGS = [
  { flag: 'help', alias: 'h', describe: 'Show this help' },
  { flag: 'version', alias: 'v', describe: 'Show the version' },
] as const;

/** Flag names the generator itself uses, which a team template's questions may not take. */
export const META_FLAG_NAMES: readonly string[] = META_FLAGS.flatMap((meta) => [meta.flag, meta.alias]);

const flagRows = (entries: OptionEntries) => entries.filter(([, spec]) => !spec.positional);

/** Every accepted flag name and alias, mapped to its flag, and the boolean ones (which take --no-). */
function flagNames(entries: OptionEntries) {
  const known = new Map<string, string>([
    ...flagRows(entries).flatMap(([, spec]) => [
      [spec.flag, spec.flag] as [string, string],
      ...(spec.alias ? [[spec.alias, spec.flag] as [string, string]] : []),
    ]),
    ...META_FLAGS.flatMap((meta) => [[meta.flag, meta.flag] as [string, string], [meta.alias, meta.flag] as [string, string]]),
  ]);
  const booleans = new Set([
    ...entries.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag),
    ...META_FLAGS.map((meta) => meta.flag),
  ]);
  return { known, booleans };
}

/**
 * Finds flags that are not in the table before yargs sees them, so the error can name the flag and
 * suggest the closest real one (yargs' strict mode says only "Unknown argument"). With a team template,
 * `entries` includes its questions, so their flags are known too.
 */
export function findUnknownFlag(argv: readonly string[], entries: OptionEntries = OPTION_ENTRIES): UsageError | undefined {
  const { known, booleans } = flagNames(entries);
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') continue;
    const long = token.startsWith('--');
    const bare = token.replace(/^--?/, '').split('=')[0]!;
    const names = long ? [bare.startsWith('no-') && booleans.has(bare.slice(3)) ? bare.slice(3) : bare] : [...bare];
    for (const flagName of names) {
      if (known.has(flagName)) continue;
      const suggestion = closest(flagName, [...known.keys()].filter((name) => name.length > 1));
      return new UsageError(
        `Unknown option ${long ? '--' : '-'}${flagName}.${suggestion ? ` Did you mean --${suggestion}?` : ''} Run with --help to see every option.`,
      );
    }
  }
  return undefined;
}

/**
 * First pass: only the options that decide which other options exist (--template) or supply answers
 * (--preset, --from). Nothing is checked here; the second pass, with the template's questions known,
 * checks the whole command line.
 */
export interface Sources {
  readonly template?: string | undefined;
  readonly preset?: string | undefined;
  readonly from?: string | undefined;
  readonly version: boolean;
}

/** Tokens that may name a source or --version (`-v`, also inside a cluster like `-yv`). */
const SOURCE_OR_VERSION = /^(--(template|preset|from|version)(=|$)|-[^-]*v)/;

export function peekSources(argv: readonly string[]): Sources {
  const end = argv.indexOf('--');
  const before = end === -1 ? argv : argv.slice(0, end);
  // Most runs name no source: skip a second parse of the command line, which every run would pay for.
  if (!before.some((token) => SOURCE_OR_VERSION.test(token))) return { version: false };
  const sources = OPTION_ENTRIES.filter(([, spec]) => spec.source);
  const parsed = parse([...before], {
    string: sources.map(([, spec]) => spec.flag),
    boolean: [...flagNames(OPTION_ENTRIES).booleans, 'v'],
    configuration: { 'strip-dashed': true, 'duplicate-arguments-array': false, 'parse-numbers': false, 'parse-positional-numbers': false },
  });
  return {
    ...Object.fromEntries(sources.map(([key]) => [key, typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined])),
    // --version answers at once, even with a --template that would take time to fetch.
    version: parsed.version === true || parsed.v === true,
  };
}

/** Names the likely cause of extra words: a value after a switch, a misplaced command, or an unquoted name. */
function tooManyFolders(argv: readonly string[], positionals: readonly string[], rows: OptionEntries): UsageError {
  const listed = `Expected one project folder but got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(', ')}.`;
  const switches = new Set(rows.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag));
  for (const word of positionals.slice(1)) {
    const before = argv[argv.indexOf(word) - 1];
    const flag = before?.startsWith('--') ? before.slice(2) : undefined;
    if (flag !== undefined && switches.has(flag.replace(/^no-/, ''))) {
      const name = flag.replace(/^no-/, '');
      return new UsageError(`${listed} --${flag} is a switch and takes no value (${JSON.stringify(word)}): write --${name} or --no-${name}.`);
    }
  }
  const command = positionals.slice(1).find((word) => word === 'verify');
  if (command) return new UsageError(`${listed} "${command}" is a command: put it first, as in \`create-mcp-sampling-server ${command} my-server\`.`);
  const adjacent = positionals.every((word, index) => index === 0 || argv.indexOf(word) === argv.indexOf(positionals[index - 1]!) + 1);
  return new UsageError(
    adjacent
      ? `${listed} Quote a folder name that contains spaces: "${positionals.join(' ')}".`
      : `${listed} Give the folder once; every other word must follow the option it is a value of.`,
  );
}

export async function parseFlags(argv: readonly string[], entries: OptionEntries = OPTION_ENTRIES): Promise<ParsedFlags> {
  const unknown = findUnknownFlag(argv, entries);
  if (unknown) throw unknown;
  const rows = flagRows(entries);

  const parsed = parse([...argv], {
    boolean: [...rows.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag), ...META_FLAGS.map((m) => m.flag)],
    array: rows.filter(([, spec]) => spec.type === 'list').map(([, spec]) => spec.flag),
    // Numbers stay strings so "1e3" or "12abc" reach the table's own check and its clear message.
    string: rows.filter(([, spec]) => spec.type !== 'boolean' && spec.type !== 'list').map(([, spec]) => spec.flag),
    alias: Object.fromEntries([
      ...rows.flatMap(([, spec]) => (spec.alias ? [[spec.flag, spec.alias]] : [])),
      ...META_FLAGS.map((meta) => [meta.flag, meta.alias]),
    ]),
    // Folder names and values stay as typed: "0x10" is a folder, not 16.
    configuration: {
      'strip-dashed': true,
      'strip-aliased': true,
      'greedy-arrays': false,
      'duplicate-arguments-array': true,
      'parse-numbers': false,
      'parse-positional-numbers': false,
    },
  });

  const given: GivenValues = {};
  const positionals = parsed._.map(String);
  // `verify [directory]` checks an existing project; a project folder named verify is written ./verify.
  const command = positionals[0] === 'verify' ? 'verify' : 'generate';
  if (command === 'verify') positionals.shift();
  if (positionals.length > 1) throw tooManyFolders(argv, positionals, rows);
  if (positionals[0] !== undefined) given.directory = positionals[0];

  for (const [key, spec] of rows) {
    const value: unknown = parsed[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && spec.type !== 'list') {
      throw new UsageError(`--${spec.flag} was given ${value.length} times; give it once. Example: --${spec.flag} ${spec.example}`);
    }
    given[key] = value;
  }
  return { command, given, help: parsed.help === true, version: parsed.version === true };
}

const EXAMPLES = [
  ['create-mcp-sampling-server my-server', 'ask the questions, then generate ./my-server'],
  ['create-mcp-sampling-server my-server --yes --tool ask', 'no questions; other options take their defaults'],
  ['create-mcp-sampling-server verify my-server --json', 'install, type-check, build, test and drive it'],
  ['create-mcp-sampling-server host', "in a project: call its tool, approve each sampling request (any MCP server; host --help)"],
  ['create-mcp-sampling-server config vscode', 'in a project: its entry for a host (config --help)'],
  ['create-mcp-sampling-server update', 'in a project: merge in what this version makes, keeping your changes (update --help)'],
  ['create-mcp-sampling-server add tool translate', 'in a project: add a sampling tool (add --help)'],
] as const;
const EXAMPLE_COLUMN = Math.max(...EXAMPLES.map(([example]) => example.length)) + 4;

/** Sections of --help, in this order; a team template's questions get a section after Setup. */
const GROUP_ORDER = ['Project', 'Sampling tool', 'Token cost', 'Publishing', 'Setup', 'Run'];

function valueHint(spec: OptionSpec): string {
  switch (spec.type) {
    case 'boolean':
      return '';
    case 'integer':
      return ' <n>';
    case 'list':
      return ' <name>';
    case 'choice':
      return ' <choice>';
    default:
      return ' <text>';
  }
}

/** Wraps `text` to `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/**
 * --help, laid out from the option table: a section per group, flags in one column, descriptions
 * wrapped to the terminal. (Laid out here rather than by yargs, whose ~110 kB served only this.)
 */
export function helpText(entries: OptionEntries = OPTION_ENTRIES, width = Math.min(110, process.stdout.columns || 100)): string {
  const rows = [
    ...flagRows(entries).map(([, spec]) => {
      const shown = typeof spec.default === 'function' || spec.control ? undefined : spec.default;
      const hasDefault = shown !== undefined && shown !== false && shown !== '' && !(Array.isArray(shown) && shown.length === 0);
      const choices = 'choices' in spec ? ` [${spec.choices.map((choice) => choice.value).join(' | ')}]` : '';
      const negation = spec.type === 'boolean' && shown === true ? ` (--no-${spec.flag} to skip)` : '';
      return {
        group: spec.group,
        label: `${spec.alias ? `-${spec.alias}, ` : '    '}--${spec.flag}${valueHint(spec)}`,
        text: `${spec.describe}${choices}${hasDefault && spec.type !== 'boolean' ? ` [default: ${String(shown)}]` : ''}${negation && !spec.describe.includes('--no-') ? negation : ''}`,
      };
    }),
    ...META_FLAGS.map((meta) => ({ group: 'Run', label: `-${meta.alias}, --${meta.flag}`, text: meta.describe })),
  ];
  const groups = [...new Set(rows.map((row) => row.group))].sort(
    (a, b) => (GROUP_ORDER.indexOf(a) + 1 || 4.5) - (GROUP_ORDER.indexOf(b) + 1 || 4.5),
  );
  const column = Math.max(...rows.map((row) => row.label.length)) + 4;
  const sections = groups.map((group) => {
    const lines = rows
      .filter((row) => row.group === group)
      .map((row) => `  ${row.label.padEnd(column - 2)}${wrap(row.text, width, column)}`);
    return `${group}:\n${lines.join('\n')}`;
  });
  return [
    'Usage: npm create mcp-sampling-server@latest [directory] -- [options]',
    '       create-mcp-sampling-server verify [directory] [--pm <choice>] [--json]',
    '       create-mcp-sampling-server host [--help] [tool] [arguments] [-- command]',
    '       create-mcp-sampling-server config [host] [--dir <project>]',
    '       create-mcp-sampling-server update [directory] [options]',
    '       create-mcp-sampling-server add tool <name> [--tool <choice>] [options]',
    '',
    wrap('Generates a tested TypeScript MCP server whose tool asks the host model for completions (sampling).', width, 0),
    wrap('directory: the folder to create ("." for the current one); asked for on a terminal, required otherwise.', width, 11),
    '',
    ...sections.flatMap((section) => [section, '']),
    'Examples:',
    ...EXAMPLES.map(([example, text]) => `  ${example.padEnd(EXAMPLE_COLUMN - 2)}${wrap(text, width, EXAMPLE_COLUMN)}`),
    '',
    wrap('Without a terminal (CI, pipes), with --yes or with --json, nothing is asked: options not given take their defaults.', width, 0),
    'Exit codes: 0 done, 1 a step failed (e.g. install), 2 bad usage, 130 cancelled.',
  ].join('\n');
}
