/**
 * The GitHub repository a shipped project lives in. It names the project in the MCP Registry
 * (`io.github.<owner>/<name>`, a namespace the registry grants to that GitHub account through
 * GitHub's sign-in or a GitHub Actions OIDC token) and is where the release workflow runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

// GitHub's own rules: an account is letters, digits and single hyphens; a repository also takes . and _.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** owner/name, https://github.com/owner/name(.git), git@github.com:owner/name.git, git+https://... or github:owner/name. */
export function parseGitHubRepository(value: string): GitHubRepository | undefined {
  const match =
    /^(?:github:)?([^/:@\s]+)\/([^/\s]+?)(?:\.git)?$/.exec(value) ??
    /^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(value) ??
    /^git@github\.com:([^/]+)\/([^/]+?)(?:\.git)?$/.exec(value);
  const [, owner = '', name = ''] = match ?? [];
  if (!OWNER.test(owner) || !NAME.test(name) || name === '.' || name === '..') return undefined;
  return { owner, name };
}

export function checkRepository(value: string): string | undefined {
  return parseGitHubRepository(value) === undefined
    ? 'is not a GitHub repository. Give it as owner/name or https://github.com/owner/name ' +
        '(the release workflow runs on GitHub Actions, and the MCP Registry name is io.github.<owner>/...)'
    : undefined;
}

/** The `origin` remote of the git work tree holding `dir` (which may not exist yet), when it is on GitHub. */
export function gitHubOrigin(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const config = path.join(current, '.git', 'config');
    if (existsSync(config)) {
      const origin = /\[remote "origin"\][^[]*?^\s*url\s*=\s*(\S+)/m.exec(readFileSync(config, 'utf8'))?.[1];
      return origin !== undefined && parseGitHubRepository(origin) ? origin : undefined;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

export function repositoryUrl({ owner, name }: GitHubRepository): string {
  return `https://github.com/${owner}/${name}`;
}
