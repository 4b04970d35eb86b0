/** The values templates see, derived from the answers (docs/template-authoring.md lists them for team templates). */
import { UNLICENSED } from '../license/license.js';
import { commandsFor } from '../setup/package-manager.js';
import type { ProjectAnswers } from '../options/table.js';
import { GENERATOR_DEPENDENCY, GENERATOR_VERSION } from '../version.js';
import { shipContext } from '../ship/context.js';
import { vscodeTokenInput } from '../config/hosts.js';
import { addedToolEntry, mainTool, type AddedTool } from './tools.js';

/**
 * MCP model preferences for each --priority: 0 to 1 each, and only relative to one another, since the host
 * weighs them. The favoured one is 1; "balanced" states no preference.
 */
const MODEL_PRIORITIES = {
  balanced: { cost: 0.5, speed: 0.5, intelligence: 0.5 },
  cost: { cost: 1, speed: 0.5, intelligence: 0.2 },
  speed: { cost: 0.5, speed: 1, intelligence: 0.2 },
  intelligence: { cost: 0.2, speed: 0.2, intelligence: 1 },
} as const satisfies Record<ProjectAnswers['priority'], { cost: number; speed: number; intelligence: number }>;

/** The command a package installs, and the name hosts list its server under: the package name without its scope. */
export function binNameOf(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '');
}

export function templateContext(answers: ProjectAnswers, added: readonly AddedTool[] = []) {
  const commands = commandsFor(answers.pm);
  const main = mainTool(answers);
  const tools = [main, ...added.map(addedToolEntry)];
  return {
    name: answers.name,
    binName: binNameOf(answers.name),
    description: answers.description,
    license: answers.license,
    /** UNLICENSED grants no licence, so the package is also marked private: npm then refuses to publish it by mistake. */
    unlicensed: answers.license === UNLICENSED,
    tool: answers.tool,
    toolName: answers.toolName,
    toolModule: main.toolModule,
    registerTool: main.registerTool,
    /** Every tool the server registers: the one above, then those `add tool` added. */
    tools,
    /** Some tool reads files: the project has the allowed folders (src/files.ts, ALLOWED_ROOTS). */
    readsFiles: tools.some((entry) => entry.readsFiles),
    /** Some tool reads whole folders (code-patterns): SAMPLING_MAX_FILES. */
    readsFolders: tools.some((entry) => entry.tool === 'code-patterns'),
    transport: answers.transport,
    stdio: answers.transport !== 'http',
    http: answers.transport !== 'stdio',
    /** How HTTP callers authenticate (src/transports/auth.ts); stdio has no callers to tell apart. */
    auth: answers.auth,
    /** Where HTTP budgets live (src/transports/budgets.ts): this process, or Redis for replicas. */
    store: answers.store,
    /** Deployment files (Dockerfile, compose.yaml) for an HTTP server. */
    deploy: answers.deploy,
    /** With --auth token, the README's VS Code entry: the input that asks for the token, and the header using it. */
    vscodeTokenInput: vscodeTokenInput(binNameOf(answers.name)),
    sdk: answers.sdk,
    /** v2 serves 2025-era and 2026-07-28 clients; v1 speaks the 2025 era only (spec up to 2025-11-25). */
    bothEras: answers.sdk === 'v2',
    fallback: answers.fallback,
    hasFallback: answers.fallback !== 'none',
    maxTokens: answers.maxTokens,
    tokenBudget: answers.tokenBudget,
    /** config.ts's default for SAMPLING_DAILY_TOKEN_BUDGET: four sessions' worth. */
    dailyTokenBudget: 4 * answers.tokenBudget,
    approvalTimeoutSeconds: answers.approvalTimeout,
    modelHints: answers.modelHint,
    priority: answers.priority,
    modelPriorities: MODEL_PRIORITIES[answers.priority],
    pm: answers.pm,
    pmRun: commands.run,
    /** Before a script's own arguments: `{{pmRun}} host{{pmArgs}} --help` is `npm run host -- --help`, `pnpm host --help`. */
    pmArgs: commands.scriptArgs,
    pmTest: commands.test,
    pmInstall: commands.installShown,
    generatorVersion: GENERATOR_VERSION,
    /** The generator as the project's devDependency: the exact version, or `file:<checkout>` from a checkout. */
    generatorDependency: GENERATOR_DEPENDENCY,
    ...shipContext(answers, binNameOf(answers.name)),
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;
