/**
 * A --ship project taken the way its author releases it: installed, tested, versioned with `npm version`,
 * pushed with its tag to a (local, bare) remote, then checked out again and put through every `run:` step of
 * its GitHub workflows that needs no network. What the release makes is then used the way its users use it:
 * the .mcpb unpacked and started from its manifest's mcp_config as a desktop host does, and the npm tarball
 * installed into an empty folder and started with npx.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateWorkflow } from '@action-validator/core';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot, scratch } from '../helpers/cli.js';
import { scriptedHost } from '../helpers/host.js';
import { runCommand, type Outcome } from '../helpers/processes.js';
import { generatedProject } from '../helpers/projects.js';
import { TIMEOUTS } from '../helpers/timeouts.js';

const NAME = 'weather-notes';
/** Scoped, so the local registry takes its publication (test/helpers/registry.ts lets anyone publish @acme/*). */
const PACKAGE = `@acme/${NAME}`;
const VERSION = '0.1.1'; // after `npm version patch`
const registry = inject('registry');

/** The workflow steps that reach GitHub or the MCP Registry, or change the machine's npm, so cannot run here. */
const NETWORK_STEPS = ['npm 11.5 or later, for trusted publishing', 'Install mcp-publisher', 'Publish to the MCP Registry'];
const PUBLISH_STEP = 'Publish to npm (a prerelease under the next tag), unless a re-run finds it there';
const TAG_STEP = "The tag is package.json's version, and the release files agree";

/**
 * What the runner would make of the steps' `${{ }}` expressions here: the local registry takes any token, and
 * provenance needs GitHub's OIDC. An expression not listed fails the test.
 */
const EXPRESSIONS: Record<string, string> = {
  '${{ secrets.NPM_TOKEN }}': 'anonymous',
  '${{ !github.event.repository.private }}': 'false',
};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

/** `getMcpConfigForManifest` of @anthropic-ai/mcpb, which the project has (the generator does not). */
type GetMcpConfig = (options: {
  manifest: unknown;
  extensionPath: string;
  systemDirs: Record<string, string>;
  userConfig: Record<string, string | number | boolean | string[]>;
  pathSeparator: string;
}) => Promise<{ command: string; args?: string[]; env?: Record<string, string> } | undefined>;

/** The MCP Registry's server.json schema, as published (test/fixtures/mcp-registry holds it with its licence). */
const registrySchema = (() => {
  let validate: ValidateFunction | undefined;
  return () => {
    if (validate) return validate;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/mcp-registry/server.schema.json'), 'utf8')) as object;
    return (validate = ajv.compile(schema));
  };
})();

/** npx run in `dir`: the host starts servers in the project it runs in, and a user's npx runs where they are. */
const npxIn = (dir: string, args: string[]) => ['sh', '-c', 'cd "$0" && exec npx "$@"', dir, ...args];

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const outcome = await runCommand(command, args, { cwd, env: { npm_config_prefer_offline: 'true', ...env } });
  if (outcome.code !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${outcome.code}:\n${outcome.output}`);
  return outcome;
}

const git = (cwd: string, ...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], cwd);

/**
 * The environment of a job whose setup-node step was given `registry-url`: an .npmrc of its own that points npm
 * at the registry (here the local one) with the token in NODE_AUTH_TOKEN.
 */
function setupNodeEnv(dir: string): NodeJS.ProcessEnv {
  const npmrc = path.join(dir, '.npmrc');
  writeFileSync(npmrc, `//${new URL(registry.url).host}/:_authToken=\${NODE_AUTH_TOKEN}\nregistry=${registry.url}\n`);
  return { NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: registry.url, npm_config_cache: path.join(dir, '.npm'), npm_config_yes: 'true' };
}

/** Runs one `run:` step as GitHub's runner does (bash -eo pipefail), its `${{ }}` env values evaluated. */
function runStep(checkout: string, step: Step, env: NodeJS.ProcessEnv): Promise<Outcome> {
  expect(step.run, 'a step this test runs cannot use ${{ }} expressions').not.toContain('${{');
  const stepEnv = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => {
      expect(!value.includes('${{') || value in EXPRESSIONS, `${name}: ${value}`).toBe(true);
      return [name, EXPRESSIONS[value] ?? value];
    }),
  );
  return runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: checkout,
    env: { npm_config_prefer_offline: 'true', CI: 'true', GITHUB_REF_NAME: `v${VERSION}`, ...env, ...stepEnv },
  });
}

/** Runs a workflow's `run:` steps in order, stopping at a failure; returns the names of the steps it left out. */
async function runSteps(checkout: string, workflow: Workflow, env: NodeJS.ProcessEnv): Promise<string[]> {
  const skipped: string[] = [];
  for (const step of Object.values(workflow.jobs).flatMap((job) => job.steps)) {
    if (step.run === undefined) continue;
    if (NETWORK_STEPS.includes(step.name ?? '')) {
      skipped.push(step.name!);
      continue;
    }
    const outcome = await runStep(checkout, step, env);
    if (outcome.code !== 0) throw new Error(`step "${step.name}" exited with ${outcome.code}:\n${outcome.output}`);
  }
  return skipped;
}

describe('a --ship project, released from a version tag', () => {
  let project: string;
  let checkout: string;
  let remote: string;
  const workflows: Record<string, { source: string; steps: Step[]; skipped: string[] }> = {};
  let jobEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    project = await generatedProject('cmss-ship-', NAME, ['--name', PACKAGE, '--ship', '--repository', 'acme/weather-notes', '--fallback', 'anthropic']);
    // What a user commits after their first install: the lockfile `npm ci` needs. It is made beside the
    // project, whose node_modules links to the shared install and would be locked as links.
    const work = path.dirname(project);
    const locking = path.join(work, 'locking');
    mkdirSync(locking);
    copyFileSync(path.join(project, 'package.json'), path.join(locking, 'package.json'));
    await run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], locking);
    copyFileSync(path.join(locking, 'package-lock.json'), path.join(project, 'package-lock.json'));
    remote = path.join(work, 'remote.git');
    await run('git', ['init', '-q', '--bare', remote], work);
    await git(project, 'init', '-q', '-b', 'main');
    await git(project, 'remote', 'add', 'origin', remote);
    await git(project, 'add', '-A');
    await git(project, 'commit', '-q', '-m', 'Generated');
    await git(project, 'push', '-q', '-u', 'origin', 'main');
    // The generated README's release commands, as written.
    await run('npm', ['version', 'patch'], project, {
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    });
    await run('git', ['push', '--follow-tags'], project);

    // actions/checkout: the tag, in a fresh clone.
    checkout = path.join(work, 'checkout');
    await run('git', ['clone', '-q', '--branch', `v${VERSION}`, remote, checkout], work);
    jobEnv = setupNodeEnv(scratch('cmss-runner-'));
    for (const file of ['ci.yml', 'release.yml']) {
      const source = readFileSync(path.join(checkout, '.github/workflows', file), 'utf8');
      const workflow = parseYaml(source) as Workflow;
      workflows[file] = { source, steps: Object.values(workflow.jobs).flatMap((job) => job.steps), skipped: await runSteps(checkout, workflow, jobEnv) };
    }
  }, TIMEOUTS.shipRelease);

  it('versions with npm version: one commit and tag move package.json, server.json and manifest.json together', async () => {
    const tags = await run('git', ['ls-remote', '--tags', remote], project);
    expect(tags.stdout).toContain(`refs/tags/v${VERSION}`);
    const changed = await git(checkout, 'log', '-1', '--name-only', '--format=%s', `v${VERSION}`);
    expect(changed.stdout.split('\n').filter(Boolean).sort()).toEqual([VERSION, 'manifest.json', 'package-lock.json', 'package.json', 'server.json'].sort());
    const read = (file: string) => JSON.parse(readFileSync(path.join(checkout, file), 'utf8')) as Record<string, any>;
    expect(read('package.json').version).toBe(VERSION);
    expect(read('server.json')).toMatchObject({ version: VERSION, packages: [{ version: VERSION }] });
    expect(read('manifest.json').version).toBe(VERSION);
  });

  it('has workflows a validator accepts, whose every step that needs no network passes on the tagged checkout', async () => {
    for (const [file, { source, skipped }] of Object.entries(workflows)) {
      expect(validateWorkflow(source).errors, file).toEqual([]);
      expect(skipped, file).toEqual(file === 'release.yml' ? NETWORK_STEPS : []);
    }
    expect(workflows['release.yml']!.source).toMatch(/id-token: write/);
    expect(workflows['release.yml']!.source).toMatch(/mcp-publisher login github-oidc/);
    // The release step made the bundle it attaches.
    expect(readdirSync(checkout)).toContain(`${NAME}-${VERSION}.mcpb`);

    const step = (name: string) => workflows['release.yml']!.steps.find((candidate) => candidate.name === name)!;
    // A tag that is not package.json's version stops the release.
    const wrongTag = await runStep(checkout, step(TAG_STEP), { ...jobEnv, GITHUB_REF_NAME: 'v9.9.9' });
    expect(wrongTag.code).not.toBe(0);
    // A re-run (the bundle upload failed, say) finds the version on npm and goes on.
    const rerun = await runStep(checkout, step(PUBLISH_STEP), jobEnv);
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.output).toContain(`${PACKAGE}@${VERSION} is on npm already: not publishing it again`);
  });

  it('has a server.json valid against the MCP Registry schema, named by mcpName, listing the npm package and its settings', () => {
    const serverJson = JSON.parse(readFileSync(path.join(checkout, 'server.json'), 'utf8')) as Record<string, any>;
    const validate = registrySchema();
    expect(validate(serverJson), JSON.stringify(validate.errors)).toBe(true);

    const packageJson = JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as Record<string, any>;
    expect(packageJson.mcpName).toBe('io.github.acme/weather-notes');
    expect(serverJson.name).toBe(packageJson.mcpName);
    expect(serverJson.description).toBe(packageJson.description);
    const [npmPackage] = serverJson.packages as Record<string, any>[];
    expect(npmPackage).toMatchObject({ registryType: 'npm', identifier: PACKAGE, version: VERSION, transport: { type: 'stdio' } });
    const settings = Object.fromEntries((npmPackage!.environmentVariables as Record<string, any>[]).map((variable) => [variable.name, variable]));
    expect(settings.SAMPLING_TOKEN_BUDGET).toMatchObject({ default: '50000', format: 'number' });
    expect(settings.ANTHROPIC_API_KEY).toMatchObject({ isSecret: true });
    expect(serverJson.remotes).toBeUndefined();
  });

  it('bundles an .mcpb that validates, unpacks, and starts from its mcp_config as a desktop host would, then samples', async () => {
    const mcpb = path.join(project, 'node_modules/.bin/mcpb');
    const bundle = path.join(checkout, `${NAME}-${VERSION}.mcpb`);
    const unpacked = scratch('cmss-mcpb-');
    await run(mcpb, ['validate', path.join(checkout, 'manifest.json')], checkout);
    await run(mcpb, ['unpack', bundle, unpacked], checkout);
    expect(readFileSync(path.join(checkout, 'README.md'), 'utf8')).toContain(`\`npm run bundle\` builds`);
    expect(readdirSync(unpacked).sort()).toEqual(['COSTS.md', 'LICENSE', 'README.md', 'dist', 'manifest.json', 'node_modules', 'package.json']);
    // Production dependencies only: no test runner, no compiler, no mcpb itself.
    for (const devOnly of ['vitest', 'typescript', '@anthropic-ai/mcpb']) expect(existsSync(path.join(unpacked, 'node_modules', devOnly)), devOnly).toBe(false);

    // The folder a user picks in the settings form, with a file in it.
    const notes = scratch('cmss-mcpb-notes-');
    writeFileSync(path.join(notes, 'forecast.txt'), 'Rain on Monday, sun from Tuesday. Winds light.\n');
    const { getMcpConfigForManifest } = (await import(
      pathToFileURL(createRequire(path.join(project, 'package.json')).resolve('@anthropic-ai/mcpb')).href
    )) as { getMcpConfigForManifest: GetMcpConfig };
    const manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: scratch('cmss-mcpb-home-') },
      userConfig: { allowed_folders: [notes], token_budget: 20000 },
      pathSeparator: path.sep,
    });
    expect(config).toBeDefined();
    expect(config!.args).toEqual([path.join(unpacked, 'dist/index.js'), notes]);

    const host = (decision: string[]) =>
      scriptedHost(project, ['--era', '2025', ...decision, 'summarize', JSON.stringify({ path: path.join(notes, 'forecast.txt') }), '--', config!.command, ...config!.args!], {
        ...config!.env,
        ALLOWED_ROOTS: undefined,
      });
    const approved = await host(['--approve-with', 'Wet start, then sunny.']);
    expect(approved.clientError, JSON.stringify(approved)).toBeUndefined();
    expect(approved.sampled).toBe(1);
    expect(approved.result?._meta?.sampling).toMatchObject({ outcome: 'ok' });
    expect(JSON.stringify(approved.result?.content)).toContain('Wet start, then sunny.');

    // The budget from the settings form is the one the server enforces.
    const budgetConfig = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: {},
      userConfig: { allowed_folders: [notes], token_budget: 1 },
      pathSeparator: path.sep,
    });
    const overBudget = await scriptedHost(
      project,
      ['--era', '2025', '--approve-with', 'x', 'summarize', JSON.stringify({ path: path.join(notes, 'forecast.txt') }), '--', budgetConfig!.command, ...budgetConfig!.args!],
      { ...budgetConfig!.env, ALLOWED_ROOTS: undefined },
    );
    expect(overBudget.sampled).toBe(0);
    expect(overBudget.result?._meta?.sampling).toMatchObject({ outcome: 'budget_exhausted' });
  }, TIMEOUTS.test);

  it('packs a tarball, building first, that installs into an empty folder, where npx starts the server and it lists its tool', async () => {
    // As in a fresh clone: `npm publish` by hand, as the README offers for a first version, packs like this.
    rmSync(path.join(checkout, 'dist'), { recursive: true });
    const packed = await run('npm', ['pack', '--json', '--pack-destination', path.dirname(checkout)], checkout);
    const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    expect(files.map((file) => file.path)).toContain('dist/index.js');
    for (const { path: file } of files) expect(file).toMatch(/^(dist\/.*\.js|dist\/.*\.d\.ts|package\.json|README\.md|LICENSE|COSTS\.md)$/);

    const user = scratch('cmss-npx-');
    writeFileSync(path.join(user, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--no-audit', '--no-fund', path.join(path.dirname(checkout), filename)], user);
    const listed = await scriptedHost(project, ['--era', '2026', '--no-sampling', 'summarize', JSON.stringify({ text: 'x' }), '--', ...npxIn(user, ['--no-install', PACKAGE])]);
    expect(listed.clientError, JSON.stringify(listed)).toBeUndefined();
    expect(listed.tools).toEqual(['summarize']);
  }, TIMEOUTS.installedSetup);

  it('is on the registry the release published to, where npx fetches and starts it', async () => {
    expect(readFileSync(path.join(checkout, 'README.md'), 'utf8')).toContain('by hand with `npm publish`');
    const user = scratch('cmss-npx-registry-');
    const started = await scriptedHost(project, ['--era', '2025', '--no-sampling', 'summarize', JSON.stringify({ text: 'x' }), '--', ...npxIn(user, [PACKAGE])], jobEnv);
    expect(started.clientError, JSON.stringify(started)).toBeUndefined();
    expect(started.tools).toEqual(['summarize']);
    expect(started.result?._meta?.sampling).toMatchObject({ outcome: 'unsupported' });
  }, TIMEOUTS.installedSetup);
});

describe('a --ship project served over HTTP too', () => {
  it('lists its public URL as a remote next to the npm package, and passes its own tests on SDK v1', async () => {
    const url = 'https://weather.example.com/mcp';
    const project = await generatedProject('cmss-ship-http-', NAME, ['--ship', '--repository', 'acme/weather-notes', '--transport', 'both', '--sdk', 'v1', '--public-url', url]);
    const tested = await runCommand('npm', ['test'], { cwd: project });
    expect(tested.code, tested.output).toBe(0);
    expect(tested.output).toMatch(/release\.test\.ts/);
    expect(tested.output).toMatch(/bundle\.test\.ts/);

    const serverJson = JSON.parse(readFileSync(path.join(project, 'server.json'), 'utf8')) as Record<string, any>;
    expect(registrySchema()(serverJson), JSON.stringify(registrySchema().errors)).toBe(true);
    expect(serverJson.remotes).toEqual([{ type: 'streamable-http', url }]);
    expect(serverJson.packages[0].transport).toEqual({ type: 'stdio' });
    expect(existsSync(path.join(project, 'manifest.json'))).toBe(true);
  }, TIMEOUTS.projectSetup);

  it('has no bundle when it serves HTTP only: desktop hosts start bundles over stdio', async () => {
    const project = await generatedProject('cmss-ship-http-only-', NAME, ['--ship', '--repository', 'acme/weather-notes', '--transport', 'http']);
    for (const file of ['manifest.json', 'scripts/bundle.mjs', 'test/bundle.test.ts']) expect(existsSync(path.join(project, file)), file).toBe(false);
    const packageJson = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, any>;
    expect(packageJson.scripts.bundle).toBeUndefined();
    expect(packageJson.devDependencies['@anthropic-ai/mcpb']).toBeUndefined();
    const serverJson = JSON.parse(readFileSync(path.join(project, 'server.json'), 'utf8')) as Record<string, any>;
    expect(registrySchema()(serverJson), JSON.stringify(registrySchema().errors)).toBe(true);
    expect(serverJson.packages[0].transport).toEqual({ type: 'streamable-http', url: 'http://127.0.0.1:{PORT}/mcp' });
    expect(serverJson.remotes).toBeUndefined();
  });
});
