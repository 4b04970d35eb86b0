import { readdir } from 'node:fs/promises';
import path from 'node:path';

import * as z from 'zod';

import type { Config } from '../config.js';
import { FileAccessError, readTextFile, resolveAllowedPath } from '../files.js';
import { failureResult } from '../sampling/outcomes.js';
import { createFence } from '../sampling/prompt.js';
import type { Presentation, SamplerFor } from '../sampling/sampler.js';
import type { McpServer } from '../sdk.js';

export const TOOL_NAME = {{ts toolName}};

export const CATEGORIES = ['architecture', 'design-pattern', 'error-handling', 'data-access', 'concurrency', 'testing', 'style', 'other'] as const;

/** Dependencies, version-control data and build output: not the code's own patterns, and often huge. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'coverage', 'target', 'vendor', '__pycache__', '.venv', 'venv']);

/** Room kept in SAMPLING_MAX_INPUT_BYTES for the instructions and the fences around each file. */
const PROMPT_OVERHEAD_BYTES = 2_000;
const FENCE_OVERHEAD_BYTES = 120;

const SYSTEM_PROMPT = [
  "You analyse source code and categorise the code's main patterns.",
  'Reply with JSON only, no prose and no code fences, in exactly this shape:',
  '{"summary": "<two or three sentences on what the code does and how it is built>",',
  ' "patterns": [{"name": "<short name>", "category": "<one of: ' + CATEGORIES.join(', ') + '>",',
  '   "description": "<how the code uses it>", "files": ["<relative paths where it appears>"]}]}',
  'List at most 8 patterns, the most important first.',
].join('\n');

const PatternSchema = z.object({
  name: z.string(),
  category: z.enum(CATEGORIES),
  description: z.string(),
  files: z.array(z.string()),
});

const OutputSchema = z.object({
  summary: z.string(),
  patterns: z.array(PatternSchema),
  followedFormat: z.boolean().describe('false when the model did not answer in the requested JSON format'),
  filesAnalysed: z.array(z.string()),
  filesSkipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});

export type PatternAnalysis = z.infer<typeof OutputSchema>;
type Pattern = z.infer<typeof PatternSchema>;

/** Categorises the main patterns of a local codebase (inside the allowed roots) using the host's model. */
export function registerCodePatternsTool(server: McpServer, samplerFor: SamplerFor, config: Config): void {
  const sampler = samplerFor(TOOL_NAME);
  server.registerTool(
    TOOL_NAME,
    {
      title: 'Categorise code patterns with the host model',
      description:
        "Reads the source files of a local directory or repository checkout and asks the MCP host's own language " +
        'model to categorise its main patterns, returning a structured analysis. This triggers MCP sampling: the ' +
        "host may ask the user to approve the request, and the tokens are billed to the host's account.",
      inputSchema: z.object({
        path: z.string().min(1).describe('Directory to analyse, inside the allowed directories'),
      }),
      outputSchema: OutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) => {
      let sources: SourceFiles;
      try {
        const directory = await resolveAllowedPath(args.path, config.allowedRoots);
        sources = await collectSourceFiles(directory, {
          maxFiles: config.maxFiles,
          maxBytes: config.maxInputBytes - PROMPT_OVERHEAD_BYTES,
        });
      } catch (error) {
        if (!(error instanceof FileAccessError)) throw error;
        return { content: [{ type: 'text', text: error.message }], isError: true };
      }
      if (sources.files.length === 0) {
        const tooLarge = sources.skipped.find((skip) => skip.bytes !== undefined);
        if (tooLarge?.bytes !== undefined) {
          return failureResult({ kind: 'input_too_large', bytes: tooLarge.bytes, maxBytes: config.maxInputBytes });
        }
        return { content: [{ type: 'text', text: `No readable source files found in ${args.path}.` }], isError: true };
      }

      // Source files are untrusted: comments and strings can hold text aimed at the model.
      const fence = createFence();
      const userMessage = sources.files.map((file) => fence.fence(file.path, file.content)).join('\n\n');
      return sampler.run(ctx, { systemPrompt: `${SYSTEM_PROMPT}\n\n${fence.instruction}`, userMessage }, (answer) =>
        presentAnalysis({
          ...parsePatternAnswer(answer.text),
          filesAnalysed: sources.files.map((file) => file.path),
          filesSkipped: sources.skipped.map(({ path: skippedPath, reason }) => ({ path: skippedPath, reason })),
        }, answer.text),
      );
    },
  );
}

export interface SourceFiles {
  files: { path: string; content: string }[];
  skipped: { path: string; reason: string; bytes?: number }[];
}

/**
 * Walks `root` in a stable order, skipping dependency/VCS/build directories and binaries, until
 * either cap is reached. Paths in the result are relative to `root`, with forward slashes.
 */
export async function collectSourceFiles(root: string, caps: { maxFiles: number; maxBytes: number }): Promise<SourceFiles> {
  const result: SourceFiles = { files: [], skipped: [] };
  let bytesLeft = caps.maxBytes;
  const pending = [''];
  while (pending.length > 0) {
    const relativeDir = pending.shift()!;
    const entries = await readdir(path.join(root, relativeDir), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const relative = path.posix.join(relativeDir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(relative);
        continue;
      }
      // Symlinks are not followed: they could lead outside the allowed roots.
      if (!entry.isFile()) continue;
      if (result.files.length >= caps.maxFiles) {
        result.skipped.push({ path: relative, reason: `over the limit of ${caps.maxFiles} files (SAMPLING_MAX_FILES)` });
        continue;
      }
      try {
        const content = await readTextFile(path.join(root, relative), Math.max(0, bytesLeft - FENCE_OVERHEAD_BYTES));
        result.files.push({ path: relative, content });
        bytesLeft -= Buffer.byteLength(content) + FENCE_OVERHEAD_BYTES;
      } catch (error) {
        if (!(error instanceof FileAccessError)) throw error;
        result.skipped.push({
          path: relative,
          reason: error.problem === 'too_large' ? 'over the input byte limit (SAMPLING_MAX_INPUT_BYTES)' : error.problem,
          ...(error.bytes === undefined ? {} : { bytes: error.bytes }),
        });
      }
    }
  }
  return result;
}

/**
 * Reads the model's answer leniently: models often wrap JSON in prose or code fences, misspell a
 * category or drop a field. Whatever can be recovered is kept; `followedFormat` says whether the
 * answer matched the requested shape exactly.
 */
export function parsePatternAnswer(text: string): Pick<PatternAnalysis, 'summary' | 'patterns' | 'followedFormat'> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let parsed: unknown;
  try {
    parsed = start >= 0 && end > start ? JSON.parse(text.slice(start, end + 1)) : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return { summary: '', patterns: [], followedFormat: false };

  const strict = z.object({ summary: z.string(), patterns: z.array(PatternSchema) }).safeParse(parsed);
  if (strict.success && start === 0 && end === text.trimEnd().length - 1) {
    return { ...strict.data, followedFormat: true };
  }
  const record = parsed as { summary?: unknown; patterns?: unknown };
  const patterns = (Array.isArray(record.patterns) ? record.patterns : []).flatMap((item): Pattern[] => {
    if (typeof item !== 'object' || item === null || typeof (item as { name?: unknown }).name !== 'string') return [];
    const { name, category, description, files } = item as Record<string, unknown>;
    return [
      {
        name: name as string,
        category: CATEGORIES.find((known) => known === category) ?? 'other',
        description: typeof description === 'string' ? description : '',
        files: Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [],
      },
    ];
  });
  return { summary: typeof record.summary === 'string' ? record.summary : '', patterns, followedFormat: false };
}

function presentAnalysis(analysis: PatternAnalysis, rawAnswer: string): Presentation {
  const lines = [analysis.summary, ''];
  for (const pattern of analysis.patterns) {
    lines.push(`- ${pattern.name} [${pattern.category}]: ${pattern.description}${pattern.files.length ? ` (${pattern.files.join(', ')})` : ''}`);
  }
  lines.push('', `Analysed ${analysis.filesAnalysed.length} file(s); skipped ${analysis.filesSkipped.length}.`);
  if (!analysis.followedFormat) {
    lines.push(
      '',
      'Note: the model did not answer in the requested JSON format, so this analysis may be incomplete. Its answer as given:',
      rawAnswer,
    );
  }
  return { content: [{ type: 'text', text: lines.join('\n').trim() }], structuredContent: analysis };
}
