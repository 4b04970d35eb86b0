/**
 * `npm create mcp-sampling-server app --tool ask`, without `--`, hands --tool to npm: npm keeps every flag it
 * reads before `--` and passes it on only as an `npm_config_*` variable. A project made without those flags
 * would differ from what was asked for (and npm's own `--dry-run` also turns the install into a no-op), so
 * the run stops before writing anything and shows the command with `--`. `--yes` is the exception: npm reads
 * it as "do not ask", which is what ours means too, so it is honoured.
 */
import type { OptionEntries, OptionSpec } from './spec.js';
import { checkValue } from './values.js';
import { UsageError } from '../errors.js';
import { shellWord } from '../render/literals.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';

/** `npm create` runs `npm init`, which runs `npm exec`: those are the commands that take our flags. */
const CREATING_COMMANDS = new Set(['init', 'exec']);

function npmConfigName(flag: string): string {
  return `npm_config_${flag.replace(/-/g, '_')}`;
}

function givenOnCommandLine(argv: readonly string[], flag: string): boolean {
  return argv.some((token) => token === `--${flag}` || token === `--no-${flag}` || token.startsWith(`--${flag}=`));
}

/**
 * npm does not know which of our flags take a value: `--tool ask` reaches us as `npm_config_tool=true` with
 * `ask` left among the positionals. Each such option takes the first left-over word it accepts.
 */
function claimValue(spec: OptionSpec, leftOver: string[]): string | undefined {
  const index = leftOver.findIndex((word) => checkValue(spec, word, {}).ok);
  return index === -1 ? undefined : leftOver.splice(index, 1)[0];
}

/** argv with what npm took for itself put back where it can be honoured (`--yes`); throws for the rest. */
export function takeBackFromNpm(argv: readonly string[], entries: OptionEntries, env: NodeJS.ProcessEnv): string[] {
  if (!CREATING_COMMANDS.has(env.npm_command ?? '')) return [...argv];
  const firstFlag = argv.findIndex((token) => token.startsWith('-'));
  const [positionals, arrived] = firstFlag === -1 ? [[...argv], []] : [argv.slice(0, firstFlag), argv.slice(firstFlag)];
  const [directory, ...leftOver] = positionals;
  const taken: string[] = [];
  const swallowed: string[] = [];
  for (const [, spec] of entries) {
    if (spec.positional || spec.flag === 'yes') continue;
    const value = env[npmConfigName(spec.flag)];
    if (value === undefined || givenOnCommandLine(argv, spec.flag)) continue;
    // A flag given bare arrives as "true"; a --no- flag as "" (or "false", for a name npm knows as a setting).
    const off = value === '' || value === 'false';
    const flag = `--${off ? 'no-' : ''}${spec.flag}`;
    taken.push(flag);
    if (spec.type === 'boolean' || off) swallowed.push(flag);
    else swallowed.push(flag, ...[value === 'true' ? claimValue(spec, leftOver) : value].filter((word) => word !== undefined));
  }
  // `verify` asks nothing anyway, and takes no --yes: `npx create-mcp-sampling-server verify` with npm_config_yes set
  // (npx's own "do not ask", common in CI) must still run.
  const asks = directory !== 'verify';
  const withYes = asks && env.npm_config_yes === 'true' && !givenOnCommandLine(argv, 'yes') ? [...argv, '--yes'] : [...argv];
  if (taken.length === 0) return withYes;
  const corrected = [...(directory === undefined ? [] : [directory]), ...leftOver, '--', ...arrived, ...swallowed];
  throw new UsageError(
    `npm kept ${taken.join(', ')} for itself: with npm create, the generator's options go after \`--\`. Nothing was written. Run:\n` +
      `  npm create ${GENERATOR_NAME.replace(/^create-/, '')}@${GENERATOR_VERSION} ${corrected.map(shellWord).join(' ')}`,
  );
}
