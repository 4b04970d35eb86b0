import { defineConfig } from 'vitest/config';
import { TIMEOUTS } from './test/helpers/timeouts.js';

/**
 * `npm test`, the everyday suite: every module, the CLI, and one installed project per SDK end to end.
 * The full matrix (every --tool x --transport x --sdk, package managers, Node 22/24, the conformance suite)
 * is vitest.matrix.config.ts, `npm run test:matrix`. `shared` is what both suites have in common.
 */
export const shared = {
  // In order: the guard that no process outlives the run (its check runs last), the tools (verdaccio among
  // them), then the local registry that serves the generator.
  globalSetup: ['test/process-guard.ts', 'test/global-setup.ts', 'test/registry-setup.ts'],
  testTimeout: TIMEOUTS.test,
  hookTimeout: TIMEOUTS.hook,
  reporters: ['default', './test/durations-reporter.ts'],
};

export default defineConfig({
  test: { ...shared, include: ['test/unit/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/e2e/**/*.test.ts'] },
});
