import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.js';

// Read by test/global-setup.ts: install the matrix's tools (Node 22 and 24, pnpm and yarn, the conformance suite).
process.env.CMSS_TEST_TIER = 'matrix';

/** `npm run test:matrix`: the full matrix, on top of what `npm test` covers. */
export default defineConfig({ test: { ...shared, include: ['test/matrix/**/*.test.ts'] } });
