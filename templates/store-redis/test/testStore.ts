import { randomUUID } from 'node:crypto';

import { inject } from 'vitest';

/**
 * Settings of a server under test: the redis-server test/redisSetup.ts started, keys of its own (as a fresh
 * process has budgets of its own in memory), and a secret replicas share.
 */
export const TEST_STORE = {
  get env() {
    return { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `test-${randomUUID()}`, REQUEST_STATE_SECRET: 'tests-request-state-secret-0123456789abcdef' };
  },
};
