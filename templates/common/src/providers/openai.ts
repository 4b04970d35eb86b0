import type { Completion, ProviderShape, StopReason } from './provider.js';

/**
 * The OpenAI Chat Completions shape (`POST {base}/chat/completions`), which most local model servers
 * (Ollama, llama.cpp, vLLM, LM Studio) speak too; they usually need no key.
 */
export const openAiShape: ProviderShape = {
  endpoint: (baseUrl) => `${baseUrl.replace(/\/+$/, '')}/chat/completions`,

  headers: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),

  body: (model, request) => ({
    model,
    messages: [
      ...(request.systemPrompt === undefined ? [] : [{ role: 'system', content: request.systemPrompt }]),
      ...request.messages.map((message) => ({ role: message.role, content: message.text })),
    ],
    max_tokens: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
  }),

  parse: (body): Completion | undefined => {
    const response = body as OpenAiResponse | undefined;
    const choice = response?.choices?.[0];
    const text = choice?.message?.content;
    if (typeof text !== 'string' || typeof response?.model !== 'string') return undefined;
    const usage = response.usage;
    return {
      text,
      model: response.model,
      stopReason: stopReason(choice?.finish_reason),
      ...(typeof usage?.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number'
        ? { usage: { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } }
        : {}),
    };
  },
};

interface OpenAiResponse {
  model?: unknown;
  choices?: { message?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
}

function stopReason(reason: string | null | undefined): StopReason | undefined {
  switch (reason) {
    case 'stop':
      return 'endTurn';
    case 'length':
      return 'maxTokens';
    case null:
    case undefined:
      return undefined;
    default:
      return reason;
  }
}
