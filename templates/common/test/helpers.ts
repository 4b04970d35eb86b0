{{#if (ne tool "ask")}}
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

{{/if}}
import { loadConfig, type Config } from '../src/config.js';
import { TOOL_NAME } from '{{#if (eq tool "ask")}}../src/tools/ask.js{{/if}}{{#if (eq tool "summarize")}}../src/tools/summarize.js{{/if}}{{#if (eq tool "code-patterns")}}../src/tools/codePatterns.js{{/if}}';
import type { CallToolResult, CreateMessageResult } from './harness.js';

export { TOOL_NAME };

export const answer = (text: string, overrides: Partial<CreateMessageResult> = {}): CreateMessageResult => ({
  model: 'test-model',
  role: 'assistant',
  content: { type: 'text', text },
  stopReason: 'endTurn',
  ...overrides,
});

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Generated defaults, with timings shortened so the suite runs in seconds. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    approvalTimeoutMs: 1_000,
    heartbeatIntervalMs: 20,
{{#if (ne tool "ask")}}
    allowedRoots: [fixtureRoot()],
{{/if}}
    ...overrides,
  };
}

/** Valid arguments for the generated tool. */
export function toolArguments(): Record<string, unknown> {
{{#if (eq tool "ask")}}
  return { prompt: 'Say hello.' };
{{/if}}
{{#if (eq tool "summarize")}}
  return { text: 'The quarterly report shows revenue up 4% and costs flat.' };
{{/if}}
{{#if (eq tool "code-patterns")}}
  return { path: fixtureRoot() };
{{/if}}
}

/** Arguments whose prompt is larger than `maxInputBytes`. */
export function oversizedArguments(maxInputBytes: number): Record<string, unknown> {
{{#if (eq tool "ask")}}
  return { prompt: 'x'.repeat(maxInputBytes + 1) };
{{/if}}
{{#if (eq tool "summarize")}}
  return { text: 'x'.repeat(maxInputBytes + 1) };
{{/if}}
{{#if (eq tool "code-patterns")}}
  void maxInputBytes; // every fixture file is larger than the tiny caps the tests use
  return { path: fixtureRoot() };
{{/if}}
}

export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

export function samplingMeta(result: CallToolResult): Record<string, unknown> {
  return (result._meta?.sampling ?? {}) as Record<string, unknown>;
}
{{#if (ne tool "ask")}}

let root: string | undefined;

/** A directory inside the allowed roots, holding a few small source files. */
export function fixtureRoot(): string {
  if (root) return root;
  root = mkdtempSync(path.join(tmpdir(), 'sampling-fixture-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'notes.txt'), 'Meeting notes: ship the beta on Friday; Alex owns the release checklist.\n');
  writeFileSync(
    path.join(root, 'src', 'store.ts'),
    'export class Store<T> {\n  private items = new Map<string, T>();\n  get(id: string) {\n    return this.items.get(id);\n  }\n}\n',
  );
  writeFileSync(
    path.join(root, 'src', 'retry.ts'),
    'export async function retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  try {\n    return await fn();\n  } catch (error) {\n    if (attempts <= 1) throw error;\n    return retry(fn, attempts - 1);\n  }\n}\n',
  );
  return root;
}
{{/if}}
