/**
 * One local registry for the whole run (after global-setup.ts has installed verdaccio): the built
 * generator is packed and published to it, and test files read where with `inject('registry')`.
 * Stopped when the run ends, whether the tests passed, failed or timed out.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishGenerator, startRegistry, type PackedPackage } from './helpers/registry.js';

export interface ProvidedRegistry {
  url: string;
  /** The generator's version as published there (this checkout's package.json version). */
  generatorVersion: string;
  /** The published tarball and the paths it holds, for checks on what the package ships. */
  generatorTarball: string;
  generatorFiles: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    registry: ProvidedRegistry;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const registry = await startRegistry();
  let packed: PackedPackage;
  try {
    packed = publishGenerator(registry);
  } catch (error) {
    await registry.stop();
    throw error;
  }
  project.provide('registry', { url: registry.url, generatorVersion: packed.version, generatorTarball: packed.tarball, generatorFiles: packed.files });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`local registry at ${registry.url}, ${packed.version} of the generator published, in ${seconds} s`);
  return async () => {
    await registry.stop();
    rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
  };
}
