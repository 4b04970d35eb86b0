/**
 * The interactive approval dialog: every sampling request is shown in full before anything is sent, and
 * the person approves it, edits it first, or rejects it. Text from the server is shown through `visible`.
 */
import { complete, PROVIDER_LABELS, ProviderError, providerSettingsFromEnv, type ProviderKind, type ProviderSettings } from './providers.js';
import { HostUsageError } from './options.js';
import type { LoadedSdk } from './sdk.js';
import { samplingError, type CreateMessageRequest, type CreateMessageResult, type SamplingHandler } from './session.js';
import type { Terminal } from './terminal.js';
import { estimateRequestTokens } from './tokens.js';
import { visible } from './visible.js';

/** Who answers an approved request: a model provider, or the person at the keyboard. */
export type Answerer = { kind: 'provider'; settings: ProviderSettings } | { kind: 'typed' };

/** Model name reported for answers typed by the user, so a result never claims a model that did not run. */
export const TYPED_MODEL = 'typed-by-user';

interface Draft {
  systemPrompt: string | undefined;
  messages: { role: 'user' | 'assistant'; text: string }[];
  maxTokens: number;
  temperature: number | undefined;
  stopSequences: string[] | undefined;
}

/** --answer auto|openai|anthropic|type, read from the environment once, before connecting. */
export function chooseAnswerer(answer: 'auto' | 'openai' | 'anthropic' | 'type', env: NodeJS.ProcessEnv): Answerer {
  if (answer === 'type') return { kind: 'typed' };
  const kinds: ProviderKind[] = answer === 'openai' ? ['openai-compatible'] : answer === 'anthropic' ? ['anthropic'] : ['openai-compatible', 'anthropic'];
  for (const kind of kinds) {
    const settings = providerSettingsFromEnv(kind, env);
    if (settings === undefined) continue;
    if ('problems' in settings) {
      throw new HostUsageError(`Invalid ${PROVIDER_LABELS[kind]} settings:\n${settings.problems.map((problem) => `  - ${problem}`).join('\n')}`);
    }
    return { kind: 'provider', settings };
  }
  if (answer === 'auto') return { kind: 'typed' };
  throw new HostUsageError(
    answer === 'openai'
      ? '--answer openai needs OPENAI_MODEL and OPENAI_BASE_URL (a local model server) and/or OPENAI_API_KEY. Set them, or use --answer type.'
      : '--answer anthropic needs ANTHROPIC_API_KEY and ANTHROPIC_MODEL. Set them, or use --answer type.',
  );
}

export function describeAnswerer(answerer: Answerer): string {
  if (answerer.kind === 'typed') return 'you (no model provider is configured, so you type the answer)';
  const { kind, model, baseUrl } = answerer.settings;
  return `${PROVIDER_LABELS[kind]} ${visible(baseUrl)}, model ${visible(model)}`;
}

export function approvalHandler(sdk: LoadedSdk, terminal: Terminal, answerer: Answerer): SamplingHandler {
  let count = 0;
  return async (request, serverSignal) => {
    count += 1;
    // The server cancels a push request when its approval timeout passes or the call is cancelled.
    const signal = AbortSignal.any([terminal.signal, serverSignal]);
    const draft = toDraft(sdk, request);
    for (;;) {
      show(terminal, count, request, draft, answerer);
      const decision = await terminal.choose('Send this request?', ['approve', 'edit', 'reject'] as const, signal);
      if (decision === 'reject') {
        terminal.print('Rejected: nothing was sent to a model.');
        throw samplingError(sdk, 'rejected', 'User rejected sampling request');
      }
      if (decision === 'approve') return answer(sdk, terminal, answerer, draft, signal);
      await edit(terminal, draft, signal);
    }
  };
}

function toDraft(sdk: LoadedSdk, request: CreateMessageRequest): Draft {
  const { params } = request;
  const messages = params.messages.map((message) => {
    const blocks = Array.isArray(message.content) ? message.content : [message.content];
    const text = blocks.map((block) => {
      // Only text can be shown here and sent on as is; refuse rather than silently drop part of the request.
      if (block.type !== 'text') throw samplingError(sdk, 'invalid_request', `This terminal host handles text messages only (got ${block.type})`);
      return block.text;
    });
    return { role: message.role, text: text.join('\n') };
  });
  return { systemPrompt: params.systemPrompt, messages, maxTokens: params.maxTokens, temperature: params.temperature, stopSequences: params.stopSequences };
}

function show(terminal: Terminal, count: number, request: CreateMessageRequest, draft: Draft, answerer: Answerer): void {
  const input = estimateRequestTokens(draft.systemPrompt, draft.messages.map((message) => message.text));
  const preferences = request.params.modelPreferences;
  terminal.print();
  terminal.print(`── Sampling request ${count} from the server ──`);
  if (draft.systemPrompt !== undefined) terminal.print(`System prompt:\n${indent(visible(draft.systemPrompt))}`);
  for (const message of draft.messages) terminal.print(`${message.role === 'user' ? 'User' : 'Assistant'} message:\n${indent(visible(message.text))}`);
  terminal.print(`maxTokens: ${draft.maxTokens}   estimated input: ${input} tokens   worst case: ${input + draft.maxTokens} tokens`);
  if (preferences) {
    const hints = preferences.hints?.map((hint) => hint.name).filter((name): name is string => Boolean(name)).map(visible) ?? [];
    const priorities = (['cost', 'speed', 'intelligence'] as const)
      .map((name) => [name, preferences[`${name}Priority`]] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name} ${value}`);
    terminal.print(`Model preferences: hints ${hints.length > 0 ? hints.join(', ') : '(none)'}; priorities ${priorities.join(', ') || '(none)'}`);
  }
  if (request.params.includeContext && request.params.includeContext !== 'none') {
    terminal.print(`includeContext: ${visible(request.params.includeContext)} (this host has no conversation to add)`);
  }
  terminal.print(`Answered by: ${describeAnswerer(answerer)}`);
}

async function edit(terminal: Terminal, draft: Draft, signal: AbortSignal): Promise<void> {
  const last = draft.messages.filter((message) => message.role === 'user').at(-1);
  if (last) {
    const text = await terminal.ask('New text for the user message (Enter keeps it): ', signal);
    if (text !== '') last.text = text;
  }
  for (;;) {
    const reply = await terminal.ask(`maxTokens (Enter keeps ${draft.maxTokens}): `, signal);
    if (reply === '') return;
    if (/^\d+$/.test(reply) && Number(reply) > 0) {
      draft.maxTokens = Number(reply);
      return;
    }
    terminal.print('maxTokens must be a whole number above 0.');
  }
}

async function answer(sdk: LoadedSdk, terminal: Terminal, answerer: Answerer, draft: Draft, signal: AbortSignal): Promise<CreateMessageResult> {
  if (answerer.kind === 'typed') {
    const text = await terminal.askLines('Type the answer the model would give; an empty line ends it:', signal);
    return { model: TYPED_MODEL, role: 'assistant', content: { type: 'text', text }, stopReason: 'endTurn' };
  }
  const { settings } = answerer;
  const waiting = `Waiting for ${visible(settings.model)}`;
  terminal.startProgress(waiting);
  try {
    const completion = await complete(settings, draft, {
      signal,
      onRetry: ({ status, delayMs }) => {
        terminal.print(`The provider answered HTTP ${status}; retrying in ${(delayMs / 1000).toFixed(1)} s.`);
        terminal.startProgress(waiting);
      },
    });
    terminal.stopProgress();
    const usage = completion.usage ? ` (${completion.usage.inputTokens} tokens in, ${completion.usage.outputTokens} out)` : '';
    terminal.print(`${visible(completion.model)} answered${usage}; returning the answer to the server.`);
    return {
      model: completion.model,
      role: 'assistant',
      content: { type: 'text', text: completion.text },
      ...(completion.stopReason === undefined ? {} : { stopReason: completion.stopReason }),
    };
  } catch (error) {
    terminal.stopProgress();
    if (!(error instanceof ProviderError)) throw error;
    terminal.print(visible(error.message));
    throw samplingError(sdk, 'model_failed', `The host's model call failed: ${error.message}`);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
