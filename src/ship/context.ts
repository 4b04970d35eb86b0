/** The template values of --ship: what package.json, the workflows and the README's publishing section need. */
import type { ProjectAnswers } from '../options/table.js';
import { parseGitHubRepository, repositoryUrl } from './repository.js';

/** Installs exactly what the lockfile says, as CI should, with each package manager. */
const CI_INSTALL = {
  npm: 'npm ci',
  pnpm: 'pnpm install --frozen-lockfile',
  // Yarn 1 (on GitHub's runners) and Yarn 4 (through Corepack) both take --frozen-lockfile.
  yarn: 'yarn install --frozen-lockfile',
  bun: 'bun install --frozen-lockfile',
} as const satisfies Record<ProjectAnswers['pm'], string>;

export function shipContext(answers: ProjectAnswers, binName: string) {
  const repository = answers.ship ? parseGitHubRepository(answers.repository) : undefined;
  return {
    ship: answers.ship,
    /** The MCP Registry's name for the server, in the namespace its GitHub owner may publish to. */
    mcpName: repository ? `io.github.${repository.owner}/${binName}` : '',
    repositoryOwner: repository?.owner ?? '',
    repositoryUrl: repository ? repositoryUrl(repository) : '',
    /** package.json's repository.url in the form npm writes itself. */
    repositoryGitUrl: repository ? `git+${repositoryUrl(repository)}.git` : '',
    homepage: repository ? `${repositoryUrl(repository)}#readme` : '',
    publicUrl: answers.publicUrl,
    author: answers.copyrightHolder,
    ciInstall: CI_INSTALL[answers.pm],
  };
}
