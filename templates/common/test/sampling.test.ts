import { afterEach, describe, expect, it, vi } from 'vitest';

import { answer, callTool, connect, delay, ERAS, type Harness, hostError, oversizedArguments, samplingMeta, testConfig, textOf, TOOL_NAME, toolArguments } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(ERAS)('sampling on a %s-era connection', (era) => {
  it('returns the approved answer with model, stopReason and token estimates in _meta', async () => {
    harness = await connect({ era, sampling: async () => answer('Everything is fine.', { model: 'claude-test' }) });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBeFalsy();
    const meta = samplingMeta(result);
    expect(meta).toMatchObject({ outcome: 'ok', tool: TOOL_NAME, model: 'claude-test', stopReason: 'endTurn', reachedModel: 'yes' });
    expect(meta.estimatedInputTokens).toBeGreaterThan(0);
    expect(meta.estimatedOutputTokens).toBe(5); // "Everything is fine." is 19 ASCII characters
    expect(harness.budget.used).toBe((meta.estimatedInputTokens as number) + 5);
    expect(harness.samplingLogs().at(-1)).toMatchObject({ outcome: 'ok', model: 'claude-test', tool: TOOL_NAME });
  });

  it('reports an empty answer as its own outcome, charging the input', async () => {
    harness = await connect({ era, sampling: async () => answer('') });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'empty_answer', reachedModel: 'yes' });
    expect(textOf(result)).toContain('empty answer');
    expect(harness.budget.used).toBe(samplingMeta(result).estimatedInputTokens);
  });

  it('charges at most maxTokens for an answer longer than the host was asked for, and says so', async () => {
    harness = await connect({ era, config: testConfig({ maxTokens: 10 }), sampling: async () => answer('x'.repeat(4000)) });
    const result = await callTool(harness, TOOL_NAME, toolArguments());
    const meta = samplingMeta(result);

    expect(meta.estimatedOutputTokens).toBe(1000);
    expect(harness.budget.used).toBe((meta.estimatedInputTokens as number) + 10);
    expect(textOf(result)).toContain("the host's answer is longer than the 10 tokens asked for; it was charged as 10");
  });

  it('refuses without sending when the client does not declare sampling', async () => {
    harness = await connect({ era, sampling: null });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'unsupported', reachedModel: 'no' });
    expect(textOf(result)).toContain('does not support sampling');
    expect(harness.budget.used).toBe(0);
  });

  it('reports an answer that breaks the protocol as an invalid result', async () => {
    harness = await connect({
      era,
      sampling: async () => ({ model: 'm', role: 'assistant', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] }),
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'invalid_result' });
    expect(textOf(result)).toContain('cannot use');
  });

  it('reports stopReason maxTokens as a truncated answer, not as an error', async () => {
    harness = await connect({ era, sampling: async () => answer('The answer stops mid', { stopReason: 'maxTokens' }) });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBeFalsy();
    expect(samplingMeta(result)).toMatchObject({ outcome: 'truncated', stopReason: 'maxTokens' });
    expect(textOf(result)).toContain('cut off');
  });

  it('refuses oversized input before anything is sent', async () => {
    const config = testConfig({ maxInputBytes: 100 });
    harness = await connect({ era, config });
    const result = await callTool(harness, TOOL_NAME, oversizedArguments(config.maxInputBytes));

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'input_too_large', reachedModel: 'no' });
    expect(harness.samplingRequests()).toBe(0);
  });

  it('refuses a call whose worst case exceeds the remaining budget, before sending it', async () => {
    // Learn this tool's input estimate, then allow one call's worst case plus a bit less than another's input.
    const probe = await connect({ era });
    const input = samplingMeta(await callTool(probe, TOOL_NAME, toolArguments())).estimatedInputTokens as number;
    await probe.close();

    const config = testConfig({ maxTokens: 50, tokenBudget: 2 * input + 50 });
    harness = await connect({ era, config, sampling: async () => answer('Fine.') });
    expect((await callTool(harness, TOOL_NAME, toolArguments())).isError).toBeFalsy();
    const refused = await callTool(harness, TOOL_NAME, toolArguments());

    expect(refused.isError).toBe(true);
    expect(samplingMeta(refused)).toMatchObject({ outcome: 'budget_exhausted', reachedModel: 'no' });
    expect(textOf(refused)).toContain(`${input + 50} tokens`);
    expect(harness.samplingRequests()).toBe(1);
  });

  it('reserves before sending, so calls made at once cannot overdraw the budget together', async () => {
    const probe = await connect({ era });
    const input = samplingMeta(await callTool(probe, TOOL_NAME, toolArguments())).estimatedInputTokens as number;
    await probe.close();

    // Room for one call's worst case, not two. The host answers only once the other calls are decided,
    // so none can pass because an earlier one had already settled.
    let decided = 0;
    let answerNow!: () => void;
    const othersDecided = new Promise<void>((resolve) => (answerNow = resolve));
    harness = await connect({
      era,
      config: testConfig({ maxTokens: 50, tokenBudget: 2 * (input + 50) - 1 }),
      sampling: async () => {
        await othersDecided;
        return answer('Fine.');
      },
    });
    const calls = [1, 2, 3].map(() =>
      callTool(harness!, TOOL_NAME, toolArguments()).finally(() => {
        if (++decided === 2) answerNow();
      }),
    );
    const results = await Promise.all(calls);

    expect(results.filter((result) => !result.isError)).toHaveLength(1);
    expect(results.filter((result) => samplingMeta(result).outcome === 'budget_exhausted')).toHaveLength(2);
    expect(harness.samplingRequests()).toBe(1);
  });

  it('keeps sampled content out of the log unless LOG_SAMPLED_CONTENT is set', async () => {
    harness = await connect({ era, sampling: async () => answer('secret answer') });
    await callTool(harness, TOOL_NAME, toolArguments());
    expect(JSON.stringify(harness.logs)).not.toContain('secret answer');
    await harness.close();

    harness = await connect({ era, config: testConfig({ logSampledContent: true }), sampling: async () => answer('secret answer') });
    await callTool(harness, TOOL_NAME, toolArguments());
    expect(harness.samplingLogs().at(-1)).toMatchObject({ answer: 'secret answer' });
  });
});

describe('2025-era push sampling', () => {
  const era = 'legacy';

  // How real hosts answer when the user declines (the README's table of hosts): the spec's -1 first.
  it.each([
    ['the spec', -1, 'User rejected sampling request'],
    ['the MCP Inspector 0.x', -32603, 'Sampling request rejected'],
    ['the MCP Inspector 2.x', -32603, 'Sampling request rejected by user.'],
    ['mcp-use', -32603, 'User rejected sampling request'],
    ['VS Code', -32000, 'The user has denied permission to call this method.'],
  ])('reports a rejection as %s sends it (%i), saying nothing reached a model', async (_host, code, message) => {
    harness = await connect({
      era,
      sampling: async () => {
        throw hostError(code, message);
      },
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'rejected', reachedModel: 'no' });
    expect(textOf(result)).toContain('Nothing was sent to a model');
    expect(textOf(result)).not.toContain(message); // no raw host or SDK text
    expect(harness.budget.used).toBe(0);
  });

  it('keeps any other internal error a host failure, charged as if a model ran', async () => {
    const config = testConfig({ maxTokens: 64 });
    harness = await connect({
      era,
      config,
      sampling: async () => {
        // VS Code wraps a model failure like this; the words "rejected by user" later on must not count.
        throw hostError(-32603, 'Unknown error: Error: sampling request rejected by user-agent policy');
      },
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(samplingMeta(result)).toMatchObject({ outcome: 'host_error', reachedModel: 'unknown' });
    expect(harness.budget.used).toBe((samplingMeta(result).estimatedInputTokens as number) + 64);
  });

  it('treats "method not found" from the host as no sampling support', async () => {
    harness = await connect({
      era,
      sampling: async () => {
        throw hostError(-32601, 'Method not found');
      },
    });
    expect(samplingMeta(await callTool(harness, TOOL_NAME, toolArguments()))).toMatchObject({ outcome: 'unsupported' });
  });

  it('keeps a slow approval alive with progress heartbeats', async () => {
    harness = await connect({
      era,
      sampling: async () => {
        await delay(400);
        return answer('Approved after a while.');
      },
    });
    const onprogress = vi.fn();
    // The host's own tool-call timeout (150 ms here) would fire long before the approval without heartbeats.
    const result = await callTool(harness, TOOL_NAME, toolArguments(), { timeout: 150, resetTimeoutOnProgress: true, onprogress });

    expect(result.isError).toBeFalsy();
    expect(onprogress.mock.calls.length).toBeGreaterThanOrEqual(5);
  });

  it('gives up after the approval timeout and says what the user can do', async () => {
    harness = await connect({
      era,
      config: testConfig({ approvalTimeoutMs: 100, maxTokens: 64 }),
      sampling: async () => {
        await delay(500);
        return answer('Too late.');
      },
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBe(true);
    expect(samplingMeta(result)).toMatchObject({ outcome: 'timeout', reachedModel: 'unknown' });
    expect(textOf(result)).toContain('SAMPLING_APPROVAL_TIMEOUT_SECONDS');
    // The model may have run: the worst case stays charged.
    expect(harness.budget.used).toBe((samplingMeta(result).estimatedInputTokens as number) + 64);
  });

  it('cancels the pending sampling request when the tool call is cancelled', async () => {
    harness = await connect({
      era,
      sampling: async () => {
        await delay(400);
        return answer('Unwanted.');
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    await expect(callTool(harness, TOOL_NAME, toolArguments(), { signal: controller.signal })).rejects.toThrow();
    await vi.waitFor(() => expect(harness?.samplingLogs().at(-1)).toMatchObject({ outcome: 'cancelled' }));
  });

  it('reports a connection lost while waiting', async () => {
    const closing: { harness?: Harness } = {};
    harness = await connect({
      era,
      sampling: async () => {
        setTimeout(() => void closing.harness?.client.close(), 10);
        await delay(200);
        return answer('Never delivered.');
      },
    });
    closing.harness = harness;

    await expect(callTool(harness, TOOL_NAME, toolArguments())).rejects.toThrow();
    await vi.waitFor(() => expect(harness?.samplingLogs().at(-1)).toMatchObject({ outcome: 'connection_lost' }));
  });
});

{{#if bothEras}}
describe('2026-07-28 input_required sampling', () => {
  const era = 'modern';

  it('is never told about a rejection: the call fails on the client and nothing is charged', async () => {
    harness = await connect({
      era,
      sampling: async () => {
        throw hostError(-1, 'User rejected sampling request');
      },
    });

    await expect(callTool(harness, TOOL_NAME, toolArguments())).rejects.toThrow();
    expect(harness.samplingLogs().map((record) => record.outcome)).toEqual(['requested']);
    expect(harness.budget.used).toBe(0);
  });

  it('holds no timer while the user decides, so a slow approval still succeeds', async () => {
    harness = await connect({
      era,
      config: testConfig({ approvalTimeoutMs: 50 }),
      sampling: async () => {
        await delay(300);
        return answer('Approved after a while.');
      },
    });
    const result = await callTool(harness, TOOL_NAME, toolArguments());

    expect(result.isError).toBeFalsy();
    expect(samplingMeta(result)).toMatchObject({ outcome: 'ok' });
  });

  it('charges nothing when the client cancels before returning with an answer', async () => {
    harness = await connect({
      era,
      sampling: async () => {
        await delay(300);
        return answer('Unwanted.');
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    await expect(callTool(harness, TOOL_NAME, toolArguments(), { signal: controller.signal })).rejects.toThrow();
    expect(harness.budget.used).toBe(0);
  });
});
{{/if}}
