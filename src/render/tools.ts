/**
 * The project's sampling tools: the one chosen with --tool, and those `add tool` added later (kept in the
 * record, so --from and `update` render them again). Each is rendered from its kind's template files.
 */
import { UsageError } from '../errors.js';
import type { ProjectAnswers } from '../options/table.js';
import { checkToolName } from '../options/validate.js';

export type ToolKind = ProjectAnswers['tool'];

/** A tool `add tool` added: its name, and the tool it was made from. */
export interface AddedTool {
  readonly name: string;
  readonly tool: ToolKind;
}

/** The module (src/tools/<module>.ts) and register function each kind's templates are written as. */
const KIND_MODULES = {
  summarize: { toolModule: 'summarize', registerTool: 'registerSummarizeTool' },
  'code-patterns': { toolModule: 'codePatterns', registerTool: 'registerCodePatternsTool' },
  ask: { toolModule: 'ask', registerTool: 'registerAskTool' },
} as const satisfies Record<ToolKind, { toolModule: string; registerTool: string }>;

export const TOOL_KINDS = Object.keys(KIND_MODULES) as ToolKind[];

/** A tool as templates see it. `readsFiles`: its register function takes the config (allowed folders). */
export interface ToolEntry {
  readonly tool: ToolKind;
  readonly toolName: string;
  readonly toolModule: string;
  readonly registerTool: string;
  readonly readsFiles: boolean;
}

export function kindModule(kind: ToolKind): string {
  return KIND_MODULES[kind].toolModule;
}

/** `word-count` -> `wordCount`: the module of an added tool, named after it. */
export function moduleNameOf(name: string): string {
  return name.toLowerCase().replace(/[-_]+([a-z0-9])/g, (_, next: string) => next.toUpperCase()).replace(/[-_]/g, '');
}

export function mainTool(answers: Pick<ProjectAnswers, 'tool' | 'toolName'>): ToolEntry {
  return { tool: answers.tool, toolName: answers.toolName, ...KIND_MODULES[answers.tool], readsFiles: answers.tool !== 'ask' };
}

export function addedToolEntry(added: AddedTool): ToolEntry {
  const toolModule = moduleNameOf(added.name);
  const registerTool = `register${toolModule.charAt(0).toUpperCase()}${toolModule.slice(1)}Tool`;
  return { tool: added.tool, toolName: added.name, toolModule, registerTool, readsFiles: added.tool !== 'ask' };
}

/**
 * Why `name` cannot be added next to `existing` tools, or undefined. Its module must be a fresh file that
 * is a TypeScript identifier, and the name must differ from every tool's name and module.
 */
export function addedToolProblem(name: string, existing: readonly ToolEntry[]): string | undefined {
  const nameProblem = checkToolName(name);
  if (nameProblem) return nameProblem;
  const toolModule = moduleNameOf(name);
  if (!/^[a-z][A-Za-z0-9]*$/.test(toolModule)) return 'must start with a letter, so that its module and register function are valid TypeScript names';
  const clash = existing.find((tool) => sameTool(tool, { toolName: name, toolModule }));
  if (clash) return `clashes with the tool ${clash.toolName} (src/tools/${clash.toolModule}.ts); choose another name`;
  return undefined;
}

/** One name, or one module file (names differing only in case are one file on macOS and Windows). */
function sameTool(a: Pick<ToolEntry, 'toolName' | 'toolModule'>, b: Pick<ToolEntry, 'toolName' | 'toolModule'>): boolean {
  return a.toolName === b.toolName || a.toolModule.toLowerCase() === b.toolModule.toLowerCase();
}

/**
 * Why the project's own tool (from --tool and --tool-name) cannot sit next to the tools `add tool` added, or
 * undefined: changing those answers later (`update --tool ask`) can land it on an added tool's name or file.
 */
export function addedToolsProblem(answers: Pick<ProjectAnswers, 'tool' | 'toolName'>, added: readonly AddedTool[]): string | undefined {
  const main = mainTool(answers);
  for (const [index, tool] of added.entries()) {
    const entry = addedToolEntry(tool);
    // Two branches that each ran add tool, merged, can list clashing tools.
    const earlier = added.slice(0, index).map(addedToolEntry).find((other) => sameTool(other, entry));
    if (earlier) return `the record's "tools" lists ${earlier.toolName} and ${entry.toolName}, which clash (one name, or one file in src/tools/): rename one, its files and its registration`;
    if (sameTool(entry, main)) {
      return (
        `--tool ${answers.tool} --tool-name ${answers.toolName} make the tool ${main.toolName} (src/tools/${main.toolModule}.ts), which clashes with ` +
        `the tool ${entry.toolName} (src/tools/${entry.toolModule}.ts) that add tool added (in the record's "tools"): choose another --tool or --tool-name`
      );
    }
  }
  return undefined;
}

/** Reads the record's "tools" list, checking its shape; `label` names the file for errors. */
export function readAddedTools(raw: unknown, label: string): AddedTool[] {
  if (raw === undefined) return [];
  const fail = (problem: string): never => {
    throw new UsageError(`${label}: "tools" ${problem}`);
  };
  if (!Array.isArray(raw)) fail('must be a list of {"name", "tool"} objects');
  return (raw as unknown[]).map((item) => {
    const { name, tool } = (item ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || checkToolName(name)) fail(`holds an entry whose "name" is not a valid tool name: ${JSON.stringify(item)}`);
    if (typeof tool !== 'string' || !(TOOL_KINDS as string[]).includes(tool)) fail(`holds an entry whose "tool" is not one of ${TOOL_KINDS.join(', ')}: ${JSON.stringify(item)}`);
    return { name: name as string, tool: tool as ToolKind };
  });
}
