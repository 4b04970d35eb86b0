/**
 * The generated README's "Add a tool" section, followed literally on a freshly generated default project:
 * each step's command or edit is read from the README itself, so the section cannot drift from the code.
 * Then the project builds, its own tests pass (the copied test included), and the host calls both tools,
 * each reporting under its own name.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../helpers/cli.js';
import { scriptedHost } from '../helpers/host.js';
import { runCommand } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';


let project: string;
let readme: string;

/** The README's "Add a tool" section, one entry per numbered step. */
function steps(): string[] {
  const section = readme.slice(readme.indexOf('## Add a tool'), readme.indexOf('\n## ', readme.indexOf('## Add a tool') + 1));
  return section.split(/\n(?=\d\. )/).slice(1);
}

/** Every `inline code` span of a step, in order. */
const codeSpans = (step: string) => [...step.replace(/\n\s+/g, ' ').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

function edit(file: string, from: string, to: string): void {
  const full = path.join(project, file);
  const text = readFileSync(full, 'utf8');
  expect(text, `${file} should contain ${from}`).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

beforeAll(async () => {
  project = await generatedProject('cmss-add-tool-', 'app', ['--yes']);
  readme = readFileSync(path.join(project, 'README.md'), 'utf8');
}, TIMEOUTS.hostedProject);

describe('README: Add a tool', () => {
  it('has four steps, and following them gives a project that builds and passes its tests', async () => {
    const [copyTool, register, copyTest, run] = steps();
    expect(steps()).toHaveLength(4);

    // 1. Copy the tool, then set its name and rename its register function as the step says.
    const [cp, toolName, renameFrom, renameTo] = codeSpans(copyTool!);
    expect(cp).toBe('cp src/tools/summarize.ts src/tools/translate.ts');
    execFileSync('sh', ['-c', cp!], { cwd: project });
    expect(toolName).toBe("TOOL_NAME = 'translate'");
    edit('src/tools/translate.ts', "TOOL_NAME = 'summarize'", toolName!);
    edit('src/tools/translate.ts', `function ${renameFrom}(`, `function ${renameTo}(`);

    // 2. Register it in src/server.ts: the import, then the call after the existing tool's.
    const [file, importLine, registerLine] = codeSpans(register!);
    expect(file).toBe('src/server.ts');
    const existingImport = "import { registerSummarizeTool } from './tools/summarize.js';\n";
    const existingCall = '  registerSummarizeTool(server, samplerFor, config);\n';
    edit(file!, existingImport, `${existingImport}${importLine}\n`);
    edit(file!, existingCall, `${existingCall}  ${registerLine}\n`);

    // 3. Copy its test and point the copy's import at the new tool.
    const [cpTest, , newModule] = codeSpans(copyTest!);
    execFileSync('sh', ['-c', cpTest!], { cwd: project });
    edit('test/translate.test.ts', "'../src/tools/summarize.js'", newModule!);

    // 4. The project's tests, the copied one included.
    expect(codeSpans(run!)[0]).toBe('npm test');
    const test = await runCommand('npm', ['test'], { cwd: project });
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain('test/translate.test.ts');
  }, TIMEOUTS.addTool);

  it('then the host calls both tools, each reporting under its own name', async () => {
    const listed = await runCommand(process.execPath, [bin, 'host', '--list-tools'], { cwd: project });
    expect(listed.code, listed.output).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((tool) => tool.name)).toEqual(['summarize', 'translate']);
    for (const tool of ['summarize', 'translate']) {
      const report = await scriptedHost(project, ['--approve-with', `answer for ${tool}`, tool, '{"text": "Two tools, one budget."}']);
      expect(report.result?.isError).toBeFalsy();
      expect(report.result?._meta?.sampling).toMatchObject({ outcome: 'ok', tool });
    }
  }, TIMEOUTS.addTool);
});
