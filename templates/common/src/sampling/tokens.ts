/**
 * Token estimates and the per-session budget.
 *
 * Sampling results carry no token usage, so the server can only estimate. The rule (see COSTS.md):
 *   - one token per 4 ASCII characters (rounded up), the usual rate for English text and code;
 *   - one token per non-ASCII character (accented letters, CJK, emoji cost one or more tokens each);
 *   - plus MESSAGE_OVERHEAD_TOKENS per message for the role markers and framing the host adds.
 * It errs on the high side for most text, which is what a budget wants.
 */
export const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  // Counts code points, as iterating the string would: a surrogate pair (an emoji, say) is one
  // character, and so is a lone surrogate.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      ascii++;
      continue;
    }
    other++;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return Math.ceil(ascii / 4) + other;
}

/** Estimated input tokens of a request: every message plus the system prompt, each with its framing. */
export function estimateRequestTokens(systemPrompt: string | undefined, messages: string[]): number {
  let sum = systemPrompt === undefined ? 0 : estimateTokens(systemPrompt) + MESSAGE_OVERHEAD_TOKENS;
  for (const text of messages) sum += estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
  return sum;
}

/**
 * Estimated tokens a session may still spend. A request first reserves its worst case
 * (input estimate + maxTokens), so concurrent calls cannot overdraw the budget together; once the
 * answer is in, the reservation is replaced by the actual estimate (input + answer length).
 */
export class TokenBudget {
  private spent = 0;
  private reserved = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.spent - this.reserved);
  }

  get used(): number {
    return this.spent;
  }

  /** Holds `tokens` for a request about to be sent, or returns undefined when they are not available. */
  reserve(tokens: number): Reservation | undefined {
    if (tokens > this.remaining) return undefined;
    this.reserved += tokens;
    let open = true;
    const close = () => {
      if (!open) return false;
      open = false;
      this.reserved -= tokens;
      return true;
    };
    return {
      settle: (actualTokens) => {
        if (close()) this.spent += actualTokens;
      },
      release: () => {
        close();
      },
    };
  }

  /** Records tokens spent without a prior reservation (the 2026-07-28 flow, where the answer arrives in a new request). */
  charge(tokens: number): void {
    this.spent += tokens;
  }
}

export interface Reservation {
  /** Replaces the reservation with what the request is estimated to have cost. */
  settle(actualTokens: number): void;
  /** Gives the reservation back: nothing reached a model. */
  release(): void;
}
