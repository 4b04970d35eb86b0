/**
 * A real npm registry for tests: verdaccio on 127.0.0.1, storing into a temporary folder. The generator
 * is not on the public registry, so it is served only from here (published by the tests, never proxied);
 * every other package passes through to the registry npm is configured with.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toolPackage } from '../global-setup.js';
import { repoRoot, scratch } from './cli.js';
import { runCommand } from './processes.js';
import { TIMEOUTS } from './timeouts.js';

export const GENERATOR_PACKAGE = 'create-mcp-sampling-server';

/** It listens after about 3 s on 2 busy cores (a few hundred modules to load). */

export interface LocalRegistry {
  /** With a trailing slash, as npm writes registry URLs. */
  readonly url: string;
  /** Publishes an `npm pack` tarball; returns the version it holds. */
  publishTarball(tarball: string): string;
  /**
   * Publishes a package folder as `npm pack` would pack it; `version` replaces package.json's version.
   * Only package.json changes: code that has its version built in (the generator's dist/) keeps it.
   */
  publishFolder(folder: string, version?: string): string;
  /** Stops the server (its whole process group) and deletes its storage. */
  stop(): Promise<void>;
}

export interface PackedPackage {
  tarball: string;
  version: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

const npmQuiet = ['--loglevel=error', '--ignore-scripts'];

/** `npm pack` of a folder into `destination`; scripts are not run, so the generator must be built first. */
export function pack(folder: string, destination: string): PackedPackage {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', destination, ...npmQuiet], { cwd: folder, encoding: 'utf8' }),
  ) as [{ filename: string; version: string; files: { path: string }[] }];
  return { tarball: path.join(destination, packed.filename), version: packed.version, files: packed.files.map((file) => file.path) };
}

/** The environment that points npm, npx, pnpm and yarn 1 at `registryUrl`. */
export function registryEnv(registryUrl: string): NodeJS.ProcessEnv {
  return { npm_config_registry: registryUrl };
}

export async function startRegistry(upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim()): Promise<LocalRegistry> {
  const home = scratch('cmss-registry-');
  const config = path.join(home, 'config.yaml');
  // JSON is YAML, so the config needs no YAML writer.
  writeFileSync(
    config,
    JSON.stringify({
      storage: path.join(home, 'storage'),
      uplinks: { upstream: { url: upstream } },
      packages: {
        // No proxy: the generator comes only from what the tests published; anyone may publish it.
        [GENERATOR_PACKAGE]: { access: '$all', publish: '$all' },
        // The README's example team template (examples/team-template), published by the test that runs the README.
        '@acme/*': { access: '$all', publish: '$all' },
        '**': { access: '$all', proxy: 'upstream' },
      },
      log: { type: 'stdout', format: 'pretty', level: 'warn' },
    }),
  );
  const verdaccio = toolPackage('verdaccio-6.8.0', 'verdaccio');
  // Its own process group, so stop() ends everything it started; stdin is a pipe, so it exits with us.
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'registry-server.cjs'), verdaccio, config], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let output = '';
  let started = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`verdaccio did not start within ${TIMEOUTS.registryStart / 1000} s:\n${output}`)), TIMEOUTS.registryStart);
    const fail = (error: Error) => {
      clearTimeout(timer);
      killGroup('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk;
      const listening = /^listening (\S+)$/m.exec(output);
      if (listening && !started) {
        started = true;
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', fail);
    child.on('exit', (code) => started || fail(new Error(`verdaccio exited with code ${code} before listening:\n${output}`)));
  });

  function killGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  }

  // npm refuses to publish without credentials; verdaccio lets anyone publish the generator.
  const authFlag = `--${url.replace(/^https?:/, '')}:_authToken=anonymous`;
  const publish = (what: string) => execFileSync('npm', ['publish', what, '--registry', url, authFlag, ...npmQuiet], { stdio: 'pipe' });

  function publishTarball(tarball: string): string {
    publish(tarball);
    const manifest = execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' });
    return (JSON.parse(manifest) as { version: string }).version;
  }

  return {
    url,
    publishTarball,
    publishFolder(folder, version) {
      const staging = scratch('cmss-publish-');
      try {
        const packed = pack(folder, staging);
        if (version === undefined) return publishTarball(packed.tarball);
        execFileSync('tar', ['-xzf', packed.tarball, '-C', staging]);
        const manifestFile = path.join(staging, 'package/package.json');
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
        writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
        publish(path.join(staging, 'package'));
        return version;
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
    async stop() {
      killGroup('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), TIMEOUTS.registryStop))]);
      if (!stopped) killGroup('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Installs `version` of the generator from the registry into a fresh folder, as `yarn create` installs it
 * before running it; returns its bin script. Run from there, the generator names its exact version.
 */
export async function installGenerator(registryUrl: string, version: string): Promise<string> {
  const prefix = scratch('cmss-installed-');
  const install = await runCommand('npm', ['install', '--prefix', prefix, '--no-save', `${GENERATOR_PACKAGE}@${version}`], {
    cwd: prefix,
    env: registryEnv(registryUrl),
  });
  if (install.code !== 0) throw new Error(`installing ${GENERATOR_PACKAGE}@${version} from ${registryUrl} failed:\n${install.output}`);
  return path.join(prefix, 'node_modules', GENERATOR_PACKAGE, 'bin/create-mcp-sampling-server.cjs');
}

/** Packs this checkout's built generator into a new temporary folder and publishes it; returns what was published. */
export function publishGenerator(registry: LocalRegistry): PackedPackage {
  if (!existsSync(path.join(repoRoot, 'dist/index.cjs'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  const packed = pack(repoRoot, scratch('cmss-pack-'));
  registry.publishTarball(packed.tarball);
  return packed;
}

/**
 * Publishes a package folder or tarball to the run's registry from a test file (which has its URL, not its
 * handle). A `tag` other than latest keeps `npm create <package>` in other tests on the version they expect.
 */
export function publishTo(registryUrl: string, folder: string, tag = 'latest'): void {
  const authFlag = `--${registryUrl.replace(/^https?:/, '')}:_authToken=anonymous`;
  execFileSync('npm', ['publish', folder, '--registry', registryUrl, authFlag, '--tag', tag, ...npmQuiet], { stdio: 'pipe' });
}
