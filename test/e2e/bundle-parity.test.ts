/**
 * The published bundle renders the built-in templates from specs precompiled at build time; tests and a
 * checkout render them from templates/ with the full compiler. Both must write the same bytes.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/options/flags.js';
import { resolveAnswers } from '../../src/options/resolve.js';
import { OPTION_ENTRIES } from '../../src/options/table.js';
import { templatesDir } from '../../src/paths.js';
import { renderProject } from '../../src/render/project.js';
import { noTerminal } from '../helpers/asker.js';
import { listTree, runCli, scratch } from '../helpers/cli.js';

const COMBINATIONS = [
  ['--tool', 'summarize', '--transport', 'stdio'],
  ['--tool', 'ask', '--transport', 'both', '--tool-name', 'test_sampling', '--model-hint', "o'brien", '--priority', 'cost'],
  ['--tool', 'code-patterns', '--transport', 'http', '--fallback', 'anthropic', '--description', 'Says "hi" & <b>{{x}}</b>'],
  ['--tool', 'summarize', '--transport', 'both', '--fallback', 'openai-compatible', '--pm', 'pnpm', '--name', '@acme/srv'],
  ['--sdk', 'v1', '--tool', 'code-patterns', '--transport', 'both', '--fallback', 'anthropic'],
  ['--sdk', 'v1', '--tool', 'ask', '--transport', 'http'],
];

describe('the bundle and the sources', () => {
  it.each(COMBINATIONS)('write identical projects for %s %s %s %s %s %s', async (...flags) => {
    const work = scratch('cmss-parity-');
    const generated = runCli(['proj', ...flags, '--no-install', '--no-git'], { cwd: work });
    expect(generated.status, generated.stderr).toBe(0);
    const project = path.join(work, 'proj');

    const answers = await resolveAnswers((await parseFlags(['proj', ...flags, '--no-install', '--no-git'])).given, false, noTerminal);
    const { files: fromSources } = await renderProject(templatesDir, answers, OPTION_ENTRIES, undefined);
    expect(templatesDir).toBe(path.resolve(import.meta.dirname, '../../templates'));

    const written = listTree(project).filter((entry) => statSync(path.join(project, entry)).isFile());
    expect(fromSources.length).toBeGreaterThan(10);
    expect(written.sort()).toEqual(fromSources.map((file) => file.path).sort());
    for (const file of fromSources) expect(readFileSync(path.join(project, file.path), 'utf8'), file.path).toBe(file.content);
  });
});
