import { afterEach, describe, expect, it } from 'vitest';

import { TOOL_NAME } from '../src/tools/{{toolModule}}.js';
import { answer, callTool, connect, type CreateMessageRequest, type Harness, textOf } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('ask', () => {
  it('sends the prompt as given, without a system prompt, and returns the answer as the tool text', async () => {
    const requests: CreateMessageRequest['params'][] = [];
    harness = await connect({
      era: 'legacy',
      sampling: async (request) => {
        requests.push(request.params);
        return answer('Hello!');
      },
    });
    const result = await callTool(harness, TOOL_NAME, { prompt: 'Say hello.' });

    expect(textOf(result)).toBe('Hello!');
    expect(requests[0]).toMatchObject({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hello.' } }],
      includeContext: 'none',
    });
    expect(requests[0]?.systemPrompt).toBeUndefined();
  });
});
