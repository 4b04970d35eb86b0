import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.js';

// Read by test/global-setup.ts: install the third-party clients and bridges (and Node 22, which one of them needs).
process.env.CMSS_TEST_TIER = 'clients';

/** `npm run test:clients`: a generated server driven through MCP software we did not write. */
export default defineConfig({ test: { ...shared, include: ['test/clients/**/*.test.ts'] } });
