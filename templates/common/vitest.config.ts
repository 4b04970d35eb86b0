import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn the built server; keep a little headroom on slow CI machines.
    testTimeout: 15_000,
{{#if (eq store "redis")}}
    // One redis-server for the whole run, for the tests that serve over HTTP (test/redisSetup.ts).
    globalSetup: ['test/redisSetup.ts'],
{{/if}}
  },
});
