/**
 * The option table: the single source of truth for every flag, question, default, check and help line.
 * Adding an option is adding one row here (and using its answer in a template).
 */
import path from 'node:path';
import type { OptionSpec, ChoiceSpec, ListSpec, NumberSpec, BooleanSpec, StringSpec, ValueOf, PartialAnswers } from './spec.js';
import { insideGitWorkTree } from '../setup/git.js';
import { packageManagerFromUserAgent } from '../setup/package-manager.js';
import { targetProblem } from '../write/plan.js';
import { checkModelHint, checkPackageName, checkText, checkToolName, toPackageName, toToolName } from './validate.js';
import { checkTemplateSource } from '../template-source/spec.js';
import { checkPublicUrl, checkShippable } from '../ship/registry.js';
import { checkRepository, gitHubOrigin } from '../ship/repository.js';

const DEFAULT_DIRECTORY = 'my-sampling-server';

const template = {
  flag: 'template',
  type: 'string',
  source: true,
  group: 'Project',
  describe:
    'Team template to render over the built-in one: a folder (./team-template), an npm package or .tgz, or a git ' +
    'repository (git+https://host/repo.git#ref, git+file:///path/repo.git, ::path:sub-folder); see docs/template-authoring.md',
  example: './team-template',
  default: '',
  validate: checkTemplateSource,
} as const satisfies StringSpec;

const preset = {
  flag: 'preset',
  type: 'string',
  source: true,
  control: true,
  group: 'Project',
  describe: 'JSON file of answers keyed by flag name (and "template"), for the same project every time; flags override it',
  example: 'team-preset.json',
  default: '',
} as const satisfies StringSpec;

const from = {
  flag: 'from',
  type: 'string',
  source: true,
  control: true,
  group: 'Project',
  describe: "Make a project again from another project's .create-mcp-sampling-server.json: same template and answers",
  example: 'my-server/.create-mcp-sampling-server.json',
  default: '',
} as const satisfies StringSpec;

const allowTemplateScripts = {
  flag: 'allow-template-scripts',
  type: 'boolean',
  control: true,
  group: 'Setup',
  describe:
    'Allow installing a project made with --template: install runs code the team template controls ' +
    '(package.json scripts, package-manager settings). Without it such a project is written but not installed',
  example: '--allow-template-scripts',
  default: false,
} as const satisfies BooleanSpec;

const directory = {
  flag: 'directory',
  type: 'string',
  positional: true,
  group: 'Project',
  describe: 'Folder to create the project in ("." for the current folder)',
  example: 'my-server',
  // No default: without a terminal the folder must be named, so nothing is ever written somewhere unexpected.
  prompt: { message: 'Project folder', initial: DEFAULT_DIRECTORY },
  whenMissing: () => `Missing the project folder. Name it as the first argument, e.g. create-mcp-sampling-server ${DEFAULT_DIRECTORY} --yes`,
  validate: (value, answers) => (value.trim() === '' ? 'must not be empty' : targetProblem(value, answers.force === true)),
} as const satisfies StringSpec;

const folderName = (answers: PartialAnswers) => path.basename(path.resolve(String(answers.directory)));

const name = {
  flag: 'name',
  type: 'string',
  group: 'Project',
  describe: 'npm package name (scoped names like @acme/server are fine)',
  example: 'weather-summarizer',
  default: (answers: PartialAnswers) => toPackageName(folderName(answers)),
  // As create-vite does: a folder name that is already a valid package name is the package name.
  prompt: { message: 'Package name', skipWhen: (answers) => checkPackageName(folderName(answers)) === undefined },
  whenMissing: (answers) =>
    `Missing --name: the folder name ${JSON.stringify(path.basename(path.resolve(String(answers.directory))))} does not make ` +
    'a valid npm package name. Pass one, e.g. --name weather-summarizer',
  validate: checkPackageName,
} as const satisfies StringSpec;

const description = {
  flag: 'description',
  type: 'string',
  group: 'Project',
  describe: 'One-line description for package.json and the README',
  example: 'Summarizes files with the host model',
  default: 'An MCP server whose tool asks the host model for completions (sampling).',
  prompt: { message: 'Description' },
  validate: (value) => checkText(value, 500),
} as const satisfies StringSpec;

const license = {
  flag: 'license',
  type: 'string',
  group: 'Project',
  describe: 'SPDX license for package.json; LICENSE gets its text (none for UNLICENSED)',
  example: 'Apache-2.0',
  default: 'MIT',
  // One line of text here; whether it is SPDX is checked when the project is rendered (src/license/license.ts),
  // so only runs that choose another licence load the SPDX lists.
  validate: (value) => checkText(value, 200),
} as const satisfies StringSpec;

const copyrightHolder = {
  flag: 'copyright-holder',
  type: 'string',
  group: 'Project',
  describe: "Who holds the copyright, for LICENSE's copyright line",
  example: 'Jane Doe',
  default: (answers: PartialAnswers) => `The ${String(answers.name)} authors`,
  validate: (value) => checkText(value, 200),
} as const satisfies StringSpec;

const copyrightYear = {
  flag: 'copyright-year',
  type: 'integer',
  group: 'Project',
  describe: "Year of LICENSE's copyright line (recorded, so a remake writes the same LICENSE)",
  example: '2026',
  min: 1970,
  max: 9999,
  default: () => new Date().getFullYear(),
} as const satisfies NumberSpec;

const tool = {
  flag: 'tool',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'Which sampling tool the server starts with',
  example: 'summarize',
  default: 'summarize',
  prompt: { message: 'Sampling tool' },
  choices: [
    { value: 'summarize', title: 'summarize', hint: 'summarize a local file or inline text' },
    { value: 'code-patterns', title: 'code-patterns', hint: "categorise a codebase's main patterns, structured output" },
    { value: 'ask', title: 'ask', hint: 'send a prompt as given; the smallest example' },
  ],
} as const satisfies ChoiceSpec;

const toolName = {
  flag: 'tool-name',
  type: 'string',
  group: 'Sampling tool',
  describe: 'Name the tool is registered under (letters, digits, _ and -; at most 64)',
  example: 'summarize_file',
  default: (answers: PartialAnswers) => toToolName(String(answers.tool)),
  prompt: { message: 'Tool name', advanced: true },
  validate: checkToolName,
} as const satisfies StringSpec;

const transport = {
  flag: 'transport',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'How hosts connect to the server',
  example: 'stdio',
  default: 'stdio',
  prompt: { message: 'Transport' },
  choices: [
    { value: 'stdio', title: 'stdio', hint: 'the host starts the server as a subprocess (most hosts)' },
    { value: 'http', title: 'http', hint: 'Streamable HTTP on 127.0.0.1' },
    { value: 'both', title: 'both', hint: 'stdio by default, HTTP with --http' },
  ],
} as const satisfies ChoiceSpec;

const auth = {
  flag: 'auth',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'How HTTP callers prove who they are. Without it the server accepts loopback connections only',
  example: 'token',
  default: 'none',
  prompt: { message: 'Authentication of HTTP callers', skipWhen: (answers) => answers.transport === 'stdio' },
  choices: [
    { value: 'none', title: 'none', hint: 'this machine only: any other HOST is refused at startup' },
    { value: 'token', title: 'token', hint: 'named bearer tokens from AUTH_TOKENS or a file, rotated without a restart' },
    { value: 'oauth', title: 'oauth', hint: 'OAuth 2.1 access tokens from your authorization server (OAUTH_ISSUER)' },
  ],
  validate: (value, answers) =>
    value !== 'none' && answers.transport === 'stdio' ? 'applies to HTTP only: add --transport http (or both)' : undefined,
} as const satisfies ChoiceSpec;

const store = {
  flag: 'store',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'Where HTTP budgets live: in the process, or in Redis so that replicas share them',
  example: 'redis',
  default: 'memory',
  prompt: { message: 'Token budgets', skipWhen: (answers) => answers.transport === 'stdio' },
  choices: [
    { value: 'memory', title: 'memory', hint: 'one process: each replica would have budgets of its own' },
    { value: 'redis', title: 'redis', hint: 'shared by every replica through REDIS_URL; fails closed when Redis is down' },
  ],
  validate: (value, answers) =>
    value !== 'memory' && answers.transport === 'stdio' ? 'applies to HTTP only: add --transport http (or both)' : undefined,
} as const satisfies ChoiceSpec;

const deploy = {
  flag: 'deploy',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'What to deploy an HTTP server with: nothing more, or a Dockerfile and a compose file (replicas, Redis, HAProxy with --store redis)',
  example: 'docker',
  default: 'none',
  prompt: { message: 'Deployment files', skipWhen: (answers) => answers.transport === 'stdio' },
  choices: [
    { value: 'none', title: 'none', hint: 'run it as you like: node dist/index.js' },
    { value: 'docker', title: 'docker', hint: 'a multi-stage Dockerfile (non-root, HEALTHCHECK) and compose.yaml' },
  ],
  validate: (value, answers) =>
    value !== 'none' && answers.transport === 'stdio' ? 'applies to HTTP only: add --transport http (or both)' : undefined,
} as const satisfies ChoiceSpec;

const sdk = {
  flag: 'sdk',
  type: 'choice',
  group: 'Sampling tool',
  describe: 'MCP TypeScript SDK line to build on',
  example: 'v2',
  default: 'v2',
  prompt: { message: 'MCP SDK', advanced: true },
  choices: [
    { value: 'v2', title: 'v2', hint: '@modelcontextprotocol/server: both protocol eras (recommended)' },
    { value: 'v1', title: 'v1', hint: '@modelcontextprotocol/sdk: maintenance line, spec up to 2025-11-25' },
  ],
} as const satisfies ChoiceSpec;

const fallback = {
  flag: 'fallback',
  type: 'choice',
  group: 'Sampling tool',
  describe: "Model provider the server calls directly when the host cannot sample (the spec's migration path)",
  example: 'anthropic',
  default: 'none',
  prompt: { message: 'Fallback when the host cannot sample', advanced: true },
  choices: [
    { value: 'none', title: 'none', hint: 'fail with a clear message (no provider code in the server)' },
    { value: 'openai-compatible', title: 'openai-compatible', hint: 'any /chat/completions endpoint, local model servers too' },
    { value: 'anthropic', title: 'anthropic', hint: 'the Anthropic Messages API' },
  ],
} as const satisfies ChoiceSpec;

const maxTokens = {
  flag: 'max-tokens',
  type: 'integer',
  min: 1,
  max: 200_000,
  unit: 'tokens',
  group: 'Token cost',
  describe: 'Most output tokens one sampling request may ask for (the host may lower it)',
  example: '1024',
  default: 1024,
  prompt: { message: 'maxTokens per sampling request', advanced: true },
} as const satisfies NumberSpec;

const tokenBudget = {
  flag: 'token-budget',
  type: 'integer',
  min: 1,
  max: 100_000_000,
  unit: 'tokens',
  group: 'Token cost',
  describe: 'Estimated tokens (input + output) one session may spend before calls are refused',
  example: '50000',
  default: 50_000,
  prompt: { message: 'Token budget per session', advanced: true },
  validate: (value, answers) =>
    typeof answers.maxTokens === 'number' && value < answers.maxTokens
      ? `is smaller than --max-tokens ${answers.maxTokens}, so no call could ever run`
      : undefined,
} as const satisfies NumberSpec;

const approvalTimeout = {
  flag: 'approval-timeout',
  type: 'integer',
  min: 10,
  max: 3600,
  unit: 'seconds',
  group: 'Token cost',
  describe: 'Seconds to wait for the host (and its human) to approve a sampling request',
  example: '300',
  default: 300,
  prompt: { message: 'Approval timeout in seconds', advanced: true },
} as const satisfies NumberSpec;

const modelHint = {
  flag: 'model-hint',
  type: 'list',
  maxItems: 5,
  group: 'Token cost',
  describe: 'Preferred model name fragment, in order (repeatable); hosts treat hints as advice',
  example: 'claude-sonnet',
  default: [],
  prompt: { message: 'Model hints, comma-separated (empty for none)', advanced: true },
  validate: (hints) => {
    for (const hint of hints) {
      const problem = checkModelHint(hint);
      if (problem) return `"${hint}" ${problem}`;
    }
    return undefined;
  },
} as const satisfies ListSpec;

const priority = {
  flag: 'priority',
  type: 'choice',
  group: 'Token cost',
  describe: 'What the host should favour when it picks a model',
  example: 'cost',
  default: 'balanced',
  prompt: { message: 'Model priority', advanced: true },
  choices: [
    { value: 'balanced', title: 'balanced', hint: 'no strong preference' },
    { value: 'cost', title: 'cost', hint: 'cheapest model that will do' },
    { value: 'speed', title: 'speed', hint: 'fastest answer' },
    { value: 'intelligence', title: 'intelligence', hint: 'most capable model' },
  ],
} as const satisfies ChoiceSpec;

const ship = {
  flag: 'ship',
  type: 'boolean',
  group: 'Publishing',
  describe:
    'Make the project ready to publish: npm package, MCP Registry server.json, MCP Bundle (.mcpb) for one-click ' +
    'install, and a GitHub release workflow',
  example: '--ship',
  default: false,
  prompt: { message: 'Prepare it for publishing (npm, MCP Registry, one-click MCP Bundle)?' },
  validate: (value, answers) => (value ? checkShippable(answers) : undefined),
} as const satisfies BooleanSpec;

const repository = {
  flag: 'repository',
  type: 'string',
  group: 'Publishing',
  describe: "GitHub repository the project is published from, with --ship (default: the git remote 'origin')",
  example: 'jane/weather-summarizer',
  default: (answers: PartialAnswers) => (answers.ship === true ? gitHubOrigin(path.resolve(String(answers.directory))) : ''),
  prompt: { message: 'GitHub repository (owner/name)', skipWhen: (answers) => answers.ship !== true },
  whenMissing: () =>
    'Missing --repository: --ship names the project io.github.<owner>/<name> in the MCP Registry and releases it from ' +
    'GitHub Actions, and no GitHub remote was found. Pass one, e.g. --repository jane/weather-summarizer',
  validate: (value, answers) => (answers.ship === true || value !== '' ? checkRepository(value) : undefined),
} as const satisfies StringSpec;

const publicUrl = {
  flag: 'public-url',
  type: 'string',
  group: 'Publishing',
  describe: "With --ship and HTTP: the https:// URL the deployed server answers on, listed in server.json's remotes",
  example: 'https://mcp.example.com/mcp',
  default: '',
  prompt: {
    message: 'Public https:// URL of the deployed server (empty: none yet)',
    skipWhen: (answers) => answers.ship !== true || answers.transport === 'stdio',
  },
  validate: checkPublicUrl,
} as const satisfies StringSpec;

const pm = {
  flag: 'pm',
  type: 'choice',
  group: 'Setup',
  describe: 'Package manager for install and next steps (default: the one that ran this command)',
  example: 'npm',
  default: () => packageManagerFromUserAgent(process.env.npm_config_user_agent),
  choices: [
    { value: 'npm', title: 'npm', hint: '' },
    { value: 'pnpm', title: 'pnpm', hint: '' },
    { value: 'yarn', title: 'yarn', hint: '' },
    { value: 'bun', title: 'bun', hint: '' },
  ],
  validate: (value, answers) =>
    value !== 'npm' && answers.deploy === 'docker' ? 'the Dockerfile of --deploy docker installs with npm ci: use --pm npm' : undefined,
} as const satisfies ChoiceSpec;

const install = {
  flag: 'install',
  type: 'boolean',
  group: 'Setup',
  describe: 'Install dependencies after generating (--no-install to skip; off by default with --template)',
  example: '--no-install',
  // A team template controls package.json, so installing runs its code: only with the explicit opt-in.
  default: (answers: PartialAnswers) => !answers.template || answers.allowTemplateScripts === true,
  // --verify installs to test the project, so there is nothing to ask.
  prompt: { message: 'Install dependencies now?', skipWhen: (answers) => answers.verify === true },
  validate: (value, answers) =>
    value && answers.template && answers.allowTemplateScripts !== true
      ? 'would run code from the team template (its package.json scripts and package-manager settings). ' +
        'Review the project and install it yourself, or pass --allow-template-scripts'
      : !value && answers.verify === true
        ? answers.template && answers.allowTemplateScripts !== true
          ? 'is off for a team template, and --verify installs the project, which runs code from the template; pass --allow-template-scripts'
          : 'cannot be combined with --verify, which installs to test the project; drop one of the two'
        : undefined,
} as const satisfies BooleanSpec;

const git = {
  flag: 'git',
  type: 'boolean',
  group: 'Setup',
  describe: 'Initialise a git repository with a first commit (--no-git to skip)',
  example: '--no-git',
  default: true,
  // Inside an existing repository no new one is made, so there is nothing to ask.
  prompt: { message: 'Initialise a git repository?', skipWhen: (answers) => insideGitWorkTree(path.resolve(String(answers.directory))) },
} as const satisfies BooleanSpec;

const yes = {
  flag: 'yes',
  alias: 'y',
  type: 'boolean',
  control: true,
  group: 'Run',
  describe: 'Ask nothing: accept the default for every option not given as a flag',
  example: '--yes',
  default: false,
} as const satisfies BooleanSpec;

const dryRun = {
  flag: 'dry-run',
  type: 'boolean',
  control: true,
  group: 'Run',
  describe: 'Show the files that would be written (and overwritten) and write nothing',
  example: '--dry-run',
  default: false,
} as const satisfies BooleanSpec;

const force = {
  flag: 'force',
  type: 'boolean',
  control: true,
  group: 'Run',
  describe: 'Write into a non-empty folder; every file overwritten is first backed up inside the project',
  example: '--force',
  default: false,
} as const satisfies BooleanSpec;

const verify = {
  flag: 'verify',
  type: 'boolean',
  control: true,
  group: 'Run',
  describe:
    'After generating, prove the project works: install, type-check, build, test, then live sampling round trips ' +
    'over every transport in both protocol eras (also: create-mcp-sampling-server verify [directory])',
  example: '--verify',
  default: false,
  validate: (value, answers) =>
    value && answers.dryRun === true ? 'cannot be combined with --dry-run, which writes nothing to verify' : undefined,
} as const satisfies BooleanSpec;

const json = {
  flag: 'json',
  type: 'boolean',
  control: true,
  group: 'Run',
  describe: 'Print one machine-readable JSON summary on stdout (implies no questions)',
  example: '--json',
  default: false,
} as const satisfies BooleanSpec;

// Run controls come first (the folder check depends on --force), then the template and answer sources
// (install's default depends on --template).
export const OPTIONS = {
  yes,
  dryRun,
  force,
  verify,
  json,
  template,
  preset,
  from,
  allowTemplateScripts,
  directory,
  name,
  description,
  license,
  copyrightHolder,
  copyrightYear,
  tool,
  transport,
  auth,
  store,
  deploy,
  // Advanced questions follow the basic ones, behind a single "adjust?" question.
  toolName,
  sdk,
  fallback,
  maxTokens,
  tokenBudget,
  approvalTimeout,
  modelHint,
  priority,
  ship,
  repository,
  publicUrl,
  pm,
  install,
  git,
} as const;

export type OptionKey = keyof typeof OPTIONS;
export type Answers = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };
/** What ends up in the project: everything except the run controls. */
export type ProjectAnswers = Omit<Answers, 'yes' | 'dryRun' | 'force' | 'json' | 'preset' | 'from' | 'allowTemplateScripts'>;
/** The answers of one run: the table's, plus those of a team template's questions (keyed the same way). */
export type RunAnswers = Answers & { readonly [key: string]: unknown };

/** The rows in table order, widened to the common row type for code that treats every option alike. */
export const OPTION_ENTRIES = Object.entries(OPTIONS) as [OptionKey, OptionSpec][];
