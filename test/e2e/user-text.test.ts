/**
 * Property: whatever a user types as a package name or description, the generated project's package.json
 * reads back exactly that text and its code type-checks, or the generator refuses it with a clear message.
 * Projects are generated in-process from random strings, then type-checked together with one tsc run
 * against one real install.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveAnswers } from '../../src/options/resolve.js';
import { templatesDir } from '../../src/paths.js';
import { templateContext } from '../../src/render/context.js';
import { renderLayers } from '../../src/render/render.js';
import { builtinLayers, featureLayers } from '../../src/render/project.js';
import { planWrite } from '../../src/write/plan.js';
import { writeProject } from '../../src/write/write.js';
import { noTerminal } from '../helpers/asker.js';
import { runCli, scratch } from '../helpers/cli.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const SAMPLES = 24;
const NASTY = ['"', "'", '`', '${x}', '*/', '/*', '{{y}}', '}}', '<b>', '&amp;', '\\', '\\u0000', '</script>', '# h', '- [ ]', '\u2028', '\u00e9', '\u65e5\u672c', '\u{1F680}', '\u200d', '\n', '\t', ' '];

const description = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join(''));
const packageName = fc
  .tuple(fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/), { nil: undefined }), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/))
  .map(([scope, name]) => (scope ? `@${scope}/${name}` : name));
const toolName = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const modelHints = fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), { maxLength: 3 });

let work: string;

beforeAll(() => {
  // One real install that every sample project resolves its modules from (node looks up parent folders).
  work = scratch('cmss-property-');
  const result = runCli(['installed', '--no-git', '--tool', 'summarize', '--transport', 'both'], { cwd: work });
  if (result.status !== 0) throw new Error(`generating the installed project failed:\n${result.stderr}`);
  renameSync(path.join(work, 'installed/node_modules'), path.join(work, 'node_modules'));
}, TIMEOUTS.installedSetup);

describe('user text in generated projects', () => {
  it('reads back exactly from package.json and type-checks, or is refused clearly', async () => {
    const samples = fc.sample(fc.record({ description, packageName, toolName, modelHints, tool: fc.constantFrom('summarize', 'code-patterns', 'ask'), transport: fc.constantFrom('stdio', 'http', 'both') }), SAMPLES);
    const generated: string[] = [];
    let refused = 0;
    for (const [index, sample] of samples.entries()) {
      const directory = path.join(work, `p${index}`);
      let answers;
      try {
        answers = await resolveAnswers(
          {
            directory,
            name: sample.packageName,
            description: sample.description,
            toolName: sample.toolName,
            modelHint: sample.modelHints,
            tool: sample.tool,
            transport: sample.transport,
            install: false,
            git: false,
          },
          false,
          noTerminal,
        );
      } catch (error) {
        // A refusal must be a usage error that names the option, never a crash.
        expect(error, JSON.stringify(sample)).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(/^(--name|--description|--tool-name|--model-hint) ".*": .+\. Example: --/s);
        refused++;
        continue;
      }
      const layers = await builtinLayers(templatesDir, answers.sdk, featureLayers(answers));
      writeProject(planWrite(directory, renderLayers(layers, templateContext(answers)), false));
      const pkg = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name: string; description: string };
      expect(pkg.name, JSON.stringify(sample)).toBe(sample.packageName);
      expect(pkg.description, JSON.stringify(sample)).toBe(sample.description);
      generated.push(`p${index}`);
    }
    // The NASTY fragments include line breaks and control characters, so some samples must be refused,
    // and most must get through: otherwise this test proves nothing.
    expect(refused).toBeGreaterThan(0);
    expect(generated.length).toBeGreaterThan(SAMPLES / 4);

    const tsconfig = JSON.parse(readFileSync(path.join(work, 'installed/tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...tsconfig.compilerOptions, noEmit: true, rootDir: '.', outDir: undefined },
        include: generated.flatMap((dir) => [`${dir}/src/**/*.ts`, `${dir}/test/**/*.ts`]),
      }),
    );
    const tsc = path.join(work, 'node_modules/.bin/tsc');
    try {
      execFileSync(tsc, ['-p', work], { cwd: work, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const output = (error as { stdout: string }).stdout;
      const failing = [...new Set([...output.matchAll(/^(p\d+)\//gm)].map((match) => match[1]!))];
      const inputs = failing.map((dir) => `${dir}: ${JSON.stringify(samples[Number(dir.slice(1))])}`).join('\n');
      throw new Error(`generated projects do not type-check for these inputs:\n${inputs}\n\n${output.slice(0, 4000)}`);
    }
  }, TIMEOUTS.installedSetup);
});
