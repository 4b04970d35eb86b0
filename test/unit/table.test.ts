import { describe, expect, it } from 'vitest';
import { OPTION_ENTRIES, OPTIONS } from '../../src/options/table.js';
import { keyOf, resolveDefault } from '../../src/options/spec.js';
import { checkValue } from '../../src/options/values.js';

describe('the option table', () => {
  it('names every answer after its flag', () => {
    for (const [key, spec] of OPTION_ENTRIES) expect(keyOf(spec.flag)).toBe(key);
  });

  it('has no flag or alias twice', () => {
    const names = OPTION_ENTRIES.flatMap(([, spec]) => [spec.flag, ...(spec.alias ? [spec.alias] : [])]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every option help text and an example that passes its own check', () => {
    // --public-url is for a published HTTP server.
    const answers = { directory: 'my-server', maxTokens: 1024, tool: 'summarize', ship: true, transport: 'http' };
    for (const [, spec] of OPTION_ENTRIES) {
      expect(spec.describe.length, spec.flag).toBeGreaterThan(10);
      if (spec.type === 'boolean') continue;
      const raw = spec.type === 'list' ? [spec.example] : spec.example;
      expect(checkValue(spec, raw, answers), `${spec.flag} ${spec.example}`).toMatchObject({ ok: true });
    }
  });

  it('has defaults that pass their own checks', () => {
    const answers: Record<string, unknown> = { directory: 'my-server' };
    for (const [key, spec] of OPTION_ENTRIES) {
      if (spec.positional) continue;
      const value = resolveDefault(spec, answers);
      expect(value, spec.flag).toBeDefined();
      const checked = checkValue(spec, value, answers);
      expect(checked, spec.flag).toMatchObject({ ok: true });
      answers[key] = value;
    }
  });

  it('asks a question for every project option and none for run controls', () => {
    for (const [, spec] of OPTION_ENTRIES) {
      if (spec.control) expect(spec.prompt, spec.flag).toBeUndefined();
    }
    expect(OPTIONS.directory.prompt.message).toBeTruthy();
    expect(OPTIONS.tool.prompt.message).toBeTruthy();
  });

  it('derives the package name from the folder and the tool name from the preset', () => {
    expect(resolveDefault(OPTIONS.name, { directory: 'apps/My Server' })).toBe('my-server');
    expect(resolveDefault(OPTIONS.name, { directory: '日本' })).toBeUndefined();
    expect(resolveDefault(OPTIONS.toolName, { tool: 'code-patterns' })).toBe('code_patterns');
  });
});
