import { afterEach, describe, expect, it } from 'vitest';

import { callTool, connect, ERAS, textOf, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(ERAS)('health (added by the ACME team template), %s era', (era) => {
  it('is listed next to the sampling tool and reports the owner and the budget without sampling', async () => {
    harness = await connect({ era });
    const { tools } = await harness.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('health');

    const result = await callTool(harness, 'health', {});
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(textOf(result))).toEqual({ ok: true, team: {{ts team}}, tokensRemaining: harness.budget.limit, tokenBudget: harness.budget.limit });
    expect(harness.samplingRequests()).toBe(0);
  });
});
