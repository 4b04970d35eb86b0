/**
 * The command lines of `update` and `add tool`: their own flags, and the project options (--sdk v2,
 * --transport both...) that change answers, which go unchanged to the generator that renders the new side,
 * so they are checked by the option table exactly as when generating.
 */
import { UsageError } from '../errors.js';
import { OPTION_ENTRIES } from '../options/table.js';

export interface CommandLine {
  readonly positionals: string[];
  /** The command's own flags that were given. */
  readonly own: Set<string>;
  /** The command's own flags that take a value. */
  readonly values: Map<string, string>;
  /** Project options, as given. */
  readonly answers: string[];
}

/** Options that control one generation run, or name its sources: these commands have their own ways. */
const NOT_HERE: Record<string, string> = {
  from: 'the project’s own record is the source',
  preset: 'the project’s own record holds the answers; change one with its flag, e.g. --sdk v2',
  force: 'nothing is overwritten unseen: changes are merged into your files',
  install: 'install with your package manager afterwards',
  git: 'committing is left to you',
  verify: 'run your tests afterwards',
  directory: 'name the project folder as the first argument',
  version: 'create-mcp-sampling-server --version prints the version',
};

const booleanFlags = new Set(OPTION_ENTRIES.filter(([, spec]) => spec.type === 'boolean').map(([, spec]) => spec.flag));

/**
 * Splits `argv` by `ownFlags` (name -> whether it takes a value). Other flags are project options; one not
 * in the table (a team template's question) takes the next word as its value unless that is a flag.
 */
export function parseCommandLine(argv: readonly string[], ownFlags: Readonly<Record<string, boolean>>, command: string): CommandLine {
  const line: CommandLine = { positionals: [], own: new Set(), values: new Map(), answers: [] };
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    if (!word.startsWith('-') || word === '-') {
      line.positionals.push(word);
      continue;
    }
    if (word === '-h') {
      line.own.add('help');
      continue;
    }
    // Short forms would be guesses (is -y a flag that takes the next word?): only long flags are read.
    if (!word.startsWith('--')) throw new UsageError(`${command} takes long flags only (${word} is not one); see ${command} --help.`);
    const [name, inlineValue] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (name in ownFlags) {
      if (ownFlags[name]) {
        const value = inlineValue ?? argv[++index];
        if (!value || value.startsWith('--')) throw new UsageError(`${command} --${name} needs a value, e.g. --${name}=<value>; see ${command} --help.`);
        line.values.set(name, value);
        line.own.add(name);
      } else if (inlineValue !== 'false') {
        line.own.add(name);
      }
      continue;
    }
    const option = name.replace(/^no-/, '');
    if (option in NOT_HERE) throw new UsageError(`${command} does not take --${name}: ${NOT_HERE[option]}.`);
    line.answers.push(word);
    const takesValue = inlineValue === undefined && !booleanFlags.has(option);
    if (takesValue && argv[index + 1] !== undefined && !argv[index + 1]!.startsWith('--')) line.answers.push(argv[++index]!);
  }
  return line;
}
