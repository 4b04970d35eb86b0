import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // In order: the guard that no process outlives the run (its check runs last), the tools (verdaccio among
    // them), then the local registry that serves the generator.
    globalSetup: ['test/process-guard.ts', 'test/global-setup.ts', 'test/registry-setup.ts'],
    // CLI and end-to-end tests spawn real processes and installs; 2-core CI machines need the headroom.
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
