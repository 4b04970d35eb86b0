#!/usr/bin/env node
// Keeps server.json (the MCP Registry entry) and manifest.json (the MCP Bundle) in step with their one
// source of truth: package.json (name, version, description, licence, repository) and the README's
// "Settings" table (every environment variable, its default and meaning). `npm version` runs this script
// (the "version" script), so a release never ships mismatched files; `--check` only reports drift, and
// the tests run it that way. Fields it does not derive (remotes, a display name, icons) are yours to edit.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const MANIFEST_VERSION = '0.3';
const ENTRY_POINT = 'dist/index.js';

/**
 * The settings a person installing the bundle fills in a form (MCPB `user_config`), by variable. A folder list
 * is passed as arguments: desktop hosts expand a list only into `args`, never into one `env` value.
 */
const USER_CONFIG = {
  ALLOWED_ROOTS: {
    key: 'allowed_folders',
    type: 'directory',
    multiple: true,
    title: 'Folders it may read',
    // The form fills a list, not the variable's PATH-like syntax.
    description: 'Folders the server may read files from; with none, only the folders the host shares with it',
    asArguments: true,
  },
  SAMPLING_TOKEN_BUDGET: { key: 'token_budget', type: 'number', title: 'Token budget per session', min: 1 },
  OPENAI_API_KEY: { key: 'api_key', type: 'string', title: 'Fallback provider API key', sensitive: true },
  ANTHROPIC_API_KEY: { key: 'api_key', type: 'string', title: 'Fallback provider API key', sensitive: true },
  OPENAI_MODEL: { key: 'model', type: 'string', title: 'Fallback model' },
  ANTHROPIC_MODEL: { key: 'model', type: 'string', title: 'Fallback model' },
  OPENAI_BASE_URL: { key: 'base_url', type: 'string', title: 'Fallback provider URL' },
};

const SECRET = /(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$/;

/**
 * The rows of the README's Settings table: `| \`NAME\` | default | meaning |`.
 * @param {string} readme
 * @returns {Array<{ name: string, default: string | undefined, description: string }>}
 */
export function readSettings(readme) {
  const section = readme.split(/^## Settings$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (.*?) \| (.*?) \|$/gm)];
  if (rows.length === 0) throw new Error('README.md has no "## Settings" table with | `NAME` | default | meaning | rows');
  return rows.map(([, name = '', fallback = '', meaning = '']) => ({
    name,
    default: fallback === '(none)' ? undefined : fallback,
    description: plainText(meaning),
  }));
}

/** Markdown to the plain text the registry and desktop hosts show: no code marks, links as their text. */
function plainText(markdown) {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replaceAll('`', '');
}

function formatOf(value) {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return 'number';
  if (value === 'true' || value === 'false') return 'boolean';
  return undefined;
}

/** https://github.com/owner/name from package.json's repository (a string or { url }). */
function repositoryUrl(packageJson) {
  const url = typeof packageJson.repository === 'string' ? packageJson.repository : packageJson.repository?.url;
  if (typeof url !== 'string') throw new Error('package.json has no repository.url');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/**
 * server.json and manifest.json as they should be: every derived field refreshed, in a fixed order, then the
 * fields you added yourself.
 * @param {Record<string, any>} sources package.json, README.md, server.json and manifest.json (when there is one)
 */
export function releaseFiles({ packageJson, readme, serverJson, manifestJson }) {
  const settings = readSettings(readme);
  return {
    serverJson: registryEntry(packageJson, settings, serverJson),
    manifestJson: manifestJson && bundleManifest(packageJson, settings, manifestJson),
  };
}

/** What is left of `fields` without the keys this script derives: fields added by hand, which are kept. */
function ownFields(fields, derived) {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !derived.includes(key)));
}

function registryEntry(packageJson, settings, serverJson) {
  const [npmPackage = {}, ...otherPackages] = serverJson.packages ?? [];
  const npm = {
    registryType: 'npm',
    identifier: packageJson.name,
    version: packageJson.version,
    transport: npmPackage.transport ?? { type: 'stdio' },
    environmentVariables: settings.map((setting) => ({
      name: setting.name,
      description: setting.description,
      ...(setting.default !== undefined && { default: setting.default }),
      ...(formatOf(setting.default) && { format: formatOf(setting.default) }),
      ...(SECRET.test(setting.name) && { isSecret: true }),
    })),
  };
  return {
    $schema: SERVER_SCHEMA,
    name: packageJson.mcpName,
    description: packageJson.description,
    repository: { url: repositoryUrl(packageJson), source: 'github' },
    version: packageJson.version,
    packages: [{ ...npm, ...ownFields(npmPackage, Object.keys(npm)) }, ...otherPackages],
    ...ownFields(serverJson, ['$schema', 'name', 'description', 'repository', 'version', 'packages']),
  };
}

function bundleManifest(packageJson, settings, manifestJson) {
  const userConfig = {};
  const env = {};
  const args = [`\${__dirname}/${ENTRY_POINT}`];
  for (const setting of settings) {
    const field = USER_CONFIG[setting.name];
    if (field === undefined) continue;
    const { key, asArguments, description = setting.description, ...shape } = field;
    userConfig[key] = {
      ...shape,
      description,
      required: false,
      // Every field has a default, so an unset one expands to nothing rather than to its own placeholder.
      default: field.multiple ? [] : field.type === 'number' ? Number(setting.default) : (setting.default ?? ''),
    };
    if (asArguments) args.push(`\${user_config.${key}}`);
    else env[setting.name] = `\${user_config.${key}}`;
  }
  const manifest = {
    manifest_version: MANIFEST_VERSION,
    name: packageJson.name.replace(/^@[^/]+\//, ''),
    version: packageJson.version,
    description: packageJson.description,
    author: typeof packageJson.author === 'string' ? { name: packageJson.author } : packageJson.author,
    license: packageJson.license,
    repository: { type: 'git', url: repositoryUrl(packageJson) },
    server: { type: 'node', entry_point: ENTRY_POINT, mcp_config: { command: 'node', args, env } },
    user_config: userConfig,
    compatibility: { ...manifestJson.compatibility, runtimes: { node: packageJson.engines.node } },
  };
  return { ...manifest, ...ownFields(manifestJson, Object.keys(manifest)) };
}

/** Reads the project's files, and writes the release files (or, with `check`, lists the stale ones). */
export function syncReleaseFiles(projectDir, { check = false } = {}) {
  const read = (file) => readFileSync(path.join(projectDir, file), 'utf8');
  const readJson = (file) => JSON.parse(read(file));
  const wanted = releaseFiles({
    packageJson: readJson('package.json'),
    readme: read('README.md'),
    serverJson: readJson('server.json'),
    manifestJson: existsSync(path.join(projectDir, 'manifest.json')) ? readJson('manifest.json') : undefined,
  });
  const stale = [];
  for (const [file, value] of [['server.json', wanted.serverJson], ['manifest.json', wanted.manifestJson]]) {
    if (value === undefined) continue;
    const text = `${JSON.stringify(value, null, 2)}\n`;
    if (text === read(file)) continue;
    stale.push(file);
    if (!check) writeFileSync(path.join(projectDir, file), text);
  }
  return stale;
}

function insideGitWorkTree(dir) {
  try {
    return execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === 'true';
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const stale = syncReleaseFiles(projectDir, { check });
  if (check && stale.length > 0) {
    console.error(`${stale.join(' and ')} differ from package.json and the README's Settings: run npm run release-files`);
    process.exit(1);
  }
  if (!check) console.log(stale.length > 0 ? `Updated ${stale.join(' and ')}` : 'The release files are up to date');
  // `npm version` commits what the "version" script stages; outside a git repository there is nothing to stage.
  if (process.argv.includes('--git-add') && stale.length > 0 && insideGitWorkTree(projectDir)) {
    execFileSync('git', ['add', ...stale], { cwd: projectDir, stdio: 'inherit' });
  }
}
