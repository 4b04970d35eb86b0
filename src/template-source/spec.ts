/**
 * What a --template value means, decided from its text alone (pure, so the option table can check it):
 *
 *   ./dir, ../dir, /abs/dir, ~/dir      a local folder, or a local .tgz made by `npm pack`
 *   git+https://host/repo.git#ref       a git repository (also git+http, git+ssh, git+file); after `#`, a
 *   git+file:///abs/repo.git#ref::path:sub   branch, tag or commit, and `::path:<sub-folder>` as npm writes it
 *   name, @scope/name@1.2.0, https://…/x.tgz   anything else goes to `npm pack`, so the registry and auth
 *                                              settings of the user's .npmrc apply
 */
import os from 'node:os';
import path from 'node:path';
import { relativePathProblem } from './safe-path.js';

export type TemplateSource =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'git'; readonly url: string; readonly ref: string | undefined; readonly subdir: string | undefined }
  | { readonly kind: 'npm'; readonly spec: string };

/** `name`, `name@range`, `@scope/name@tag`: a registry spec, which can be pinned to the version fetched. */
export const REGISTRY_SPEC = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(@[^/:\s]+)?$/i;

export type Parsed = { ok: true; source: TemplateSource } | { ok: false; problem: string };

const GIT_PROTOCOLS = ['https:', 'http:', 'ssh:', 'file:'];
/** Branch, tag or commit: git's own rules are looser, but these are the names people use. */
const REF = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
/** Forms npm (or git) would read as a repository, and would fetch in its own way: ask for the explicit URL. */
const SHORTHANDS = /^(github:|gitlab:|bitbucket:|gist:|git:|git@)/;

function isLocalPath(text: string): boolean {
  return /^(\.{1,2}|~)?\//.test(text) || text === '.' || text === '..' || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('file:');
}

export function parseSource(text: string, cwd: string): Parsed {
  if (text.trim() !== text || text === '') return { ok: false, problem: 'must not be empty or start or end with spaces' };
  if (text.startsWith('-')) return { ok: false, problem: 'must not start with "-"' };
  if (SHORTHANDS.test(text)) {
    return { ok: false, problem: 'is a repository shorthand; write the full URL, e.g. git+https://github.com/acme/mcp-template.git#main' };
  }
  if (text.startsWith('git+')) return parseGit(text);
  if (isLocalPath(text)) {
    const local = text.startsWith('file:') ? text.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : text;
    const expanded = local === '~' || local.startsWith('~/') ? path.join(os.homedir(), local.slice(1)) : local;
    return { ok: true, source: { kind: 'local', path: path.resolve(cwd, expanded) } };
  }
  if (/^[^@/:]+\/[^/]/.test(text)) {
    return {
      ok: false,
      problem: `reads as GitHub shorthand to npm; write git+https://github.com/${text}.git for a repository, or ./${text} for a folder`,
    };
  }
  return { ok: true, source: { kind: 'npm', spec: text } };
}

function parseGit(text: string): Parsed {
  const hash = text.indexOf('#');
  const address = hash === -1 ? text.slice(4) : text.slice(4, hash);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { ok: false, problem: `has a git URL that does not parse (${address})` };
  }
  if (!GIT_PROTOCOLS.includes(url.protocol)) return { ok: false, problem: 'must use git+https, git+http, git+ssh or git+file' };
  let ref: string | undefined;
  let subdir: string | undefined;
  for (const part of hash === -1 ? [] : text.slice(hash + 1).split('::')) {
    if (part.startsWith('path:')) {
      subdir = part.slice('path:'.length).replace(/^\/+|\/+$/g, '');
      const problem = relativePathProblem(subdir);
      if (problem) return { ok: false, problem: `has a sub-folder (path:${subdir}) that ${problem}` };
    } else if (part !== '') {
      if (!REF.test(part) || part.includes('..')) return { ok: false, problem: `has a git ref "${part}" that is not a branch, tag or commit name` };
      ref = part;
    }
  }
  return { ok: true, source: { kind: 'git', url: address, ref, subdir } };
}

/** The option table's check for --template. */
export function checkTemplateSource(text: string): string | undefined {
  if (text === '') return undefined;
  const parsed = parseSource(text, process.cwd());
  return parsed.ok ? undefined : parsed.problem;
}

/** The source written back so the same template comes again: a pinned version, a commit, an absolute path. */
export function formatGitSource(url: string, commit: string, subdir: string | undefined): string {
  return `git+${url}#${commit}${subdir ? `::path:${subdir}` : ''}`;
}

/**
 * The newest version of a recorded (pinned) source, for `update`: a registry package at its `latest` tag, a
 * repository at its default branch (same sub-folder). A tarball URL or a folder has no newer version to ask
 * for: it is itself.
 */
export function latestSource(pinned: string): string {
  const parsed = parseSource(pinned, process.cwd());
  if (!parsed.ok || parsed.source.kind === 'local') return pinned;
  if (parsed.source.kind === 'npm') return REGISTRY_SPEC.test(pinned) ? pinned.replace(/(?<=.)@[^@/]*$/, '') : pinned;
  const { url, subdir } = parsed.source;
  return `git+${url}${subdir ? `#path:${subdir}` : ''}`;
}
