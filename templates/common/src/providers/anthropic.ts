import type { Completion, ProviderShape, StopReason } from './provider.js';

/** The version of the Messages API this shape is written against (sent as `anthropic-version`). */
const API_VERSION = '2023-06-01';

/** The Anthropic Messages API shape (`POST {base}/v1/messages`). */
export const anthropicShape: ProviderShape = {
  endpoint: (baseUrl) => `${baseUrl.replace(/\/+$/, '')}/v1/messages`,

  headers: (apiKey) => ({ 'anthropic-version': API_VERSION, ...(apiKey ? { 'x-api-key': apiKey } : {}) }),

  body: (model, request) => ({
    model,
    max_tokens: request.maxTokens,
    ...(request.systemPrompt === undefined ? {} : { system: request.systemPrompt }),
    messages: request.messages.map((message) => ({ role: message.role, content: message.text })),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stopSequences?.length ? { stop_sequences: request.stopSequences } : {}),
  }),

  parse: (body): Completion | undefined => {
    const response = body as AnthropicResponse | undefined;
    if (!Array.isArray(response?.content) || typeof response.model !== 'string') return undefined;
    // Several text blocks can come back; together they are the answer.
    const text = response.content
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => block.text)
      .join('');
    const usage = response.usage;
    return {
      text,
      model: response.model,
      stopReason: stopReason(response.stop_reason),
      ...(typeof usage?.input_tokens === 'number' && typeof usage.output_tokens === 'number'
        ? { usage: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } }
        : {}),
    };
  },
};

interface AnthropicResponse {
  model?: unknown;
  content?: { type?: string; text?: string }[];
  stop_reason?: string | null;
  usage?: { input_tokens?: unknown; output_tokens?: unknown };
}

function stopReason(reason: string | null | undefined): StopReason | undefined {
  switch (reason) {
    case 'end_turn':
      return 'endTurn';
    case 'max_tokens':
      return 'maxTokens';
    case 'stop_sequence':
      return 'stopSequence';
    case null:
    case undefined:
      return undefined;
    default:
      return reason;
  }
}
