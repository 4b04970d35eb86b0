/**
 * The scripted host: the same client and session as the interactive one, with every sampling request
 * decided in advance (approve with a fixed text, reject), or no sampling capability at all. `verify`, the
 * generator's tests and users' CI smoke tests read its one JSON line.
 */
import type { Decision } from './options.js';
import type { LoadedSdk } from './sdk.js';
import { samplingError, type CallToolResult, type SamplingHandler } from './session.js';

/** Model name in scripted answers, so a result never claims a model that did not run. */
export const SCRIPTED_MODEL = 'scripted-host';

/** One line of `host --approve-with/--reject/--no-sampling` output. */
export interface ScriptedReport {
  era: '2025' | '2026';
  /** The protocol version the connection ended up speaking. */
  protocol?: string;
  tools?: string[];
  tool?: string;
  /** How many sampling requests reached the host (push requests and input_required rounds alike). */
  sampled: number;
  result?: CallToolResult;
  clientError?: string;
}

export function scriptedHandler(sdk: LoadedSdk, decision: Exclude<Decision, { kind: 'ask' | 'no-sampling' }>, onRequest: () => void): SamplingHandler {
  return async () => {
    onRequest();
    // 2025: the server hears code -1; 2026-07-28: callTool throws this error and the call is not retried.
    if (decision.kind === 'reject') throw samplingError(sdk, 'rejected', 'User rejected sampling request');
    return { model: SCRIPTED_MODEL, role: 'assistant', content: { type: 'text', text: decision.text }, stopReason: 'endTurn' };
  };
}

/**
 * JSON.stringify escapes C0 controls but leaves C1 controls and bidirectional overrides raw; escaping
 * them too keeps the line valid JSON that cannot redraw a terminal it is printed on.
 */
export function safeJsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
