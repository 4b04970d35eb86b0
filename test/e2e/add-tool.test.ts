/**
 * The generated README's "Add a tool" section, followed literally on a freshly generated default project:
 * each step's command or edit is read from the README itself, so the section cannot drift from the code.
 * Then the project builds, its own tests pass (the copied test included), and the host calls both tools,
 * each reporting under its own name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('add tool', () => {
  it("the README's command adds the tool: its module, test, registration, README line and record; the project builds and passes", async () => {
    const added = await generatedProject('cmss-add-command-', 'app', ['--yes']);
    const command = /`(npx create-mcp-sampling-server add tool [^`]+)`/.exec(readFileSync(path.join(added, 'README.md'), 'utf8').replace(/\n/g, ' '))?.[1];
    expect(command).toBe('npx create-mcp-sampling-server add tool translate --tool summarize');
    const run = await runCommand('sh', ['-c', command!], { cwd: added });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(/src\/tools\/translate\.ts\s+added/);
    expect(run.stdout).toMatch(/test\/translate\.test\.ts\s+added/);
    expect(run.stdout).toMatch(/src\/server\.ts\s+updated/);

    const server = readFileSync(path.join(added, 'src/server.ts'), 'utf8');
    expect(server).toContain("import { registerTranslateTool } from './tools/translate.js';");
    expect(server).toContain('  registerTranslateTool(server, samplerFor, config);');
    expect(readFileSync(path.join(added, 'src/tools/translate.ts'), 'utf8')).toContain("export const TOOL_NAME = 'translate';");
    expect(readFileSync(path.join(added, 'README.md'), 'utf8')).toContain('**Tool translate** summarizes');
    const record = JSON.parse(readFileSync(path.join(added, '.create-mcp-sampling-server.json'), 'utf8')) as { tools: unknown };
    expect(record.tools).toEqual([{ name: 'translate', tool: 'summarize' }]);

    const test = await runCommand('npm', ['test'], { cwd: added });
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain('test/translate.test.ts');
    const listed = await runCommand(process.execPath, [bin, 'host', '--list-tools'], { cwd: added });
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((tool) => tool.name)).toEqual(['summarize', 'translate']);

    // The record makes it again: update finds nothing to change, and the same name is refused.
    const again = await runCommand(process.execPath, [bin, 'update'], { cwd: added });
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toContain('Nothing to change');
    const twice = await runCommand(process.execPath, [bin, 'add', 'tool', 'translate'], { cwd: added });
    expect(twice.code).toBe(2);
    expect(twice.output).toContain('add tool "translate": the name clashes with the tool translate (src/tools/translate.ts); choose another name.');
  }, 2 * TIMEOUTS.addTool);

  it('adds a tool that reads files to a project whose tool reads none: the allowed folders come with it', async () => {
    const askProject = await generatedProject('cmss-add-reader-', 'app', ['--yes', '--tool', 'ask']);
    expect(existsSync(path.join(askProject, 'src/files.ts'))).toBe(false);
    const run = await runCommand(process.execPath, [bin, 'add', 'tool', 'code-map', '--tool', 'code-patterns', '--json'], { cwd: askProject });
    expect(run.code, run.output).toBe(0);
    const fates = Object.fromEntries((JSON.parse(run.stdout) as { files: { path: string; fate: string }[] }).files.filter((file) => file.fate !== 'unchanged').map((file) => [file.path, file.fate]));
    expect(fates).toMatchObject({ 'src/tools/codeMap.ts': 'added', 'test/codeMap.test.ts': 'added', 'src/files.ts': 'added', 'src/config.ts': 'updated' });
    expect(readFileSync(path.join(askProject, 'src/config.ts'), 'utf8')).toContain("read.pathList('ALLOWED_ROOTS', folders)");

    const test = await runCommand('npm', ['test'], { cwd: askProject });
    expect(test.code, test.output).toBe(0);
    expect(test.output).toContain('test/codeMap.test.ts');
    expect(test.output).toContain('test/files.test.ts');
  }, 2 * TIMEOUTS.addTool);

  it('refuses what it cannot add, saying why, and changes nothing', async () => {
    const cwd = project;
    const before = readFileSync(path.join(cwd, 'src/server.ts'), 'utf8');
    const cases: [string[], string][] = [
      [['add', 'tool', 'summarize'], 'the name clashes with the tool summarize'],
      [['add', 'tool', 'config'], 'add tool "config": the project already has test/config.test.ts, where the tool would go; choose another name.'],
      [['add', 'tool', '9lives'], 'must start with a letter'],
      [['add', 'tool', 'toString'], 'is a name every JavaScript object already has'],
      [['add', 'tool', 'x', '--tool', 'poem'], 'add tool --tool "poem": must be one of summarize, code-patterns, ask'],
      [['add', 'prompt', 'x'], 'add takes a tool and its name: add tool <name>'],
      [['add', 'tool', 'x', '--sdk', 'v1'], 'add tool takes --tool, --dir, --dry-run, --json and --allow-dirty; --sdk does not apply'],
      [['add', 'tool', 'x', '-y'], 'add takes long flags only (-y is not one)'],
    ];
    for (const [args, message] of cases) {
      const run = await runCommand(process.execPath, [bin, ...args], { cwd });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.output).toContain(message);
    }
    expect(readFileSync(path.join(cwd, 'src/server.ts'), 'utf8')).toBe(before);
  }, TIMEOUTS.addTool);
});
