import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import * as z from 'zod';

import type { Config } from '../config.js';
import { fileAccessFor, FileAccessError, readTextFile, systemError, type FileAccess } from '../files.js';
import { failureResult } from '../sampling/outcomes.js';
import { createFence } from '../sampling/prompt.js';
import type { Presentation, SamplerFor } from '../sampling/sampler.js';
import type { McpServer } from '../sdk.js';

export const TOOL_NAME = {{ts toolName}};

export const CATEGORIES = ['architecture', 'design-pattern', 'error-handling', 'data-access', 'concurrency', 'testing', 'style', 'other'] as const;

/** Dependencies, version-control data and build output: not the code's own patterns, and often huge. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'coverage', 'target', 'vendor', '__pycache__', '.venv', 'venv']);

/** The result lists at most this many skipped files; a tree of thousands of binaries must not make a huge answer. */
const MAX_SKIPPED_LISTED = 100;

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
  complete: z.boolean().describe('false when the walk stopped at SAMPLING_MAX_FILES before reaching every file'),
});

export type PatternAnalysis = z.infer<typeof OutputSchema>;
type Pattern = z.infer<typeof PatternSchema>;

/** Categorises the main patterns of a local codebase (inside the allowed roots) using the host's model. */
export function {{registerTool}}(server: McpServer, samplerFor: SamplerFor, config: Config): void {
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
        path: z.string().min(1).describe('Folder (or one file) to analyse, inside the allowed folders'),
      }),
      outputSchema: OutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) => {
      let sources: SourceFiles;
      try {
        const access = await fileAccessFor(config, server, ctx);
        sources = await collectSourceFiles(await access.resolve(args.path), access, {
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
          complete: sources.complete,
        }, answer.text),
      );
    },
  );
}

export interface SourceFiles {
  files: { path: string; content: string }[];
  skipped: { path: string; reason: string; bytes?: number }[];
  /** False when the walk stopped at the file cap. */
  complete: boolean;
}

/**
 * Reads `target`: one file, or a folder walked in a stable order, skipping dependency, VCS and build
 * folders, protected names and binaries, until either cap is reached. Only regular files are read
 * (links are not followed: they could lead outside the allowed folders), and a file or folder that
 * cannot be read is skipped and reported. Paths in the result are relative to `target`, with forward slashes.
 */
export async function collectSourceFiles(target: string, access: FileAccess, caps: { maxFiles: number; maxBytes: number }): Promise<SourceFiles> {
  const result: SourceFiles = { files: [], skipped: [], complete: true };
  const skip = (entry: SourceFiles['skipped'][number]) => {
    if (result.skipped.length < MAX_SKIPPED_LISTED) result.skipped.push(entry);
  };
  let bytesLeft = caps.maxBytes;
  const read = async (relative: string, file: string) => {
    try {
      const content = await readTextFile(file, Math.max(0, bytesLeft - FENCE_OVERHEAD_BYTES), relative);
      result.files.push({ path: relative, content });
      bytesLeft -= Buffer.byteLength(content) + FENCE_OVERHEAD_BYTES;
    } catch (error) {
      if (!(error instanceof FileAccessError)) throw error;
      skip({
        path: relative,
        reason: error.problem === 'too_large' ? 'over the input byte limit (SAMPLING_MAX_INPUT_BYTES)' : error.problem === 'unreadable' ? error.message : error.problem,
        ...(error.bytes === undefined ? {} : { bytes: error.bytes }),
      });
    }
  };

  if (!(await stat(target)).isDirectory()) {
    await read(path.basename(target), target);
    return result;
  }
  const pending = [''];
  while (pending.length > 0) {
    const relativeDir = pending.shift()!;
    const entries = await readdir(path.join(target, relativeDir), { withFileTypes: true }).catch((error: unknown) => {
      skip({ path: relativeDir || '.', reason: systemError(error, 'this folder').message });
      return [];
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const relative = path.posix.join(relativeDir, entry.name);
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const protectedBy = access.protectedBy(entry.name);
      if (protectedBy !== undefined) {
        skip({ path: relative, reason: `protected (matches ${protectedBy}; see ALLOWED_PROTECTED_FILES)` });
        continue;
      }
      if (entry.isDirectory()) {
        pending.push(relative);
        continue;
      }
      if (!entry.isFile()) continue;
      if (result.files.length >= caps.maxFiles) {
        result.complete = false;
        return result;
      }
      await read(relative, path.join(target, relative));
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
  if (!analysis.complete) {
    lines.push(`Stopped at the limit of ${analysis.filesAnalysed.length} files (SAMPLING_MAX_FILES): later files were not read.`);
  }
  if (!analysis.followedFormat) {
    lines.push(
      '',
      'Note: the model did not answer in the requested JSON format, so this analysis may be incomplete. Its answer as given:',
      rawAnswer,
    );
  }
  return { content: [{ type: 'text', text: lines.join('\n').trim() }], structuredContent: analysis };
}
