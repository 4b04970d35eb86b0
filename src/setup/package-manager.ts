/** Package-manager detection and the commands each one uses. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * `npm create`, `pnpm create`, `yarn create` and `bun create` all set npm_config_user_agent,
 * e.g. "pnpm/9.12.0 npm/? node/v20.20.2 linux x64". Anything unrecognised falls back to npm.
 */
export function packageManagerFromUserAgent(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm === name) ?? 'npm';
}

const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
];

/** The manager an existing project uses, by its lockfile; else the one running this command. */
export function packageManagerOfProject(projectDir: string): PackageManager {
  const found = LOCKFILES.find(([file]) => existsSync(path.join(projectDir, file)));
  return found ? found[1] : packageManagerFromUserAgent(process.env.npm_config_user_agent);
}

export interface PackageManagerCommands {
  /** argv of the install command. */
  install: readonly string[];
  /** The install command as people type it in docs and next steps: plain `yarn` installs. */
  installShown: string;
  /** Prefix that runs a package.json script: `npm run build`, `pnpm build`. */
  run: string;
  /** What goes between a script and its own arguments: npm needs `--` (`npm run host -- --help`); pnpm passes a `--` on to the script. */
  scriptArgs: string;
  /** Runs the test script (`bun test` would start bun's own test runner instead). */
  test: string;
  /** How `create-x` at a pinned version is started for this manager's users, for the replay command. */
  create: (pkg: string) => string;
  /** npm needs `--` before flags meant for the create package, or it swallows them. */
  createNeedsSeparator: boolean;
}

export function commandsFor(pm: PackageManager): PackageManagerCommands {
  switch (pm) {
    case 'npm':
      return { install: ['npm', 'install'], installShown: 'npm install', run: 'npm run', scriptArgs: ' --', test: 'npm test', create: (p) => `npm create ${p}`, createNeedsSeparator: true };
    case 'pnpm':
      return { install: ['pnpm', 'install'], installShown: 'pnpm install', run: 'pnpm', scriptArgs: '', test: 'pnpm test', create: (p) => `pnpm create ${p}`, createNeedsSeparator: false };
    case 'yarn':
      // yarn 1 cannot pin a create package (`yarn create x@1.0.0` looks for a binary named `create-x@1.0.0`), and a
      // replay must pin; npx comes with Node, and the replayed answers (--pm yarn, or the record) keep the project yarn's.
      return { install: ['yarn', 'install'], installShown: 'yarn', run: 'yarn', scriptArgs: '', test: 'yarn test', create: (p) => `npx create-${p}`, createNeedsSeparator: false };
    case 'bun':
      return { install: ['bun', 'install'], installShown: 'bun install', run: 'bun run', scriptArgs: '', test: 'bun run test', create: (p) => `bun create ${p}`, createNeedsSeparator: false };
  }
}

/** What to do when a package manager is not on PATH: Node ships corepack for pnpm and yarn; bun installs from npm too. */
export function howToInstall(pm: PackageManager): string {
  return pm === 'npm' ? 'npm comes with Node.js: reinstall Node.js' : `run \`corepack enable\` (pnpm and yarn) or \`npm install -g ${pm}\``;
}
