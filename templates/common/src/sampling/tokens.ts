import { randomUUID } from 'node:crypto';

/**
 * Token estimates and the token budgets (per session, and per day for the whole process). Sampling results
 * carry no token usage, so the server can only estimate. The rule (see COSTS.md):
 *   - one token per 4 ASCII characters (rounded up), the usual rate for English text and code;
 *   - one token per non-ASCII character (accented letters, CJK, emoji cost one or more tokens each);
 *   - plus MESSAGE_OVERHEAD_TOKENS per message for the role markers and framing the host adds.
 * It errs on the high side for most text, which is what a budget wants.
 */
export const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  // By code point: a surrogate pair (an emoji, say) is one character, and so is a lone surrogate.
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/** Estimated input tokens of a request: every message plus the system prompt, each with its framing. */
export function estimateRequestTokens(systemPrompt: string | undefined, messages: string[]): number {
  let sum = systemPrompt === undefined ? 0 : estimateTokens(systemPrompt) + MESSAGE_OVERHEAD_TOKENS;
  for (const text of messages) sum += estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
  return sum;
}

/** How often the daily budget starts over. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Estimated tokens that may still be spent in one scope ("session" or "daily"). A request first
 * reserves its worst case (input estimate + maxTokens), so concurrent calls cannot overdraw the budget
 * together; once the answer is in, the reservation is replaced by the actual estimate (input + answer
 * length). A session's budget has the process's daily budget as its parent: a call must fit both.
 */
export class TokenBudget {
  private spent = 0;
  private reserved = 0;
  private windowStart = Date.now();
  /** 2026-07-28 reservations outlive the request that made them: the retry finds them by id. */
  private readonly held = new Map<string, { reservation: Reservation; expiry: NodeJS.Timeout }>();

  constructor(
    readonly limit: number,
    readonly scope = 'session',
    private readonly parent?: TokenBudget,
    /** The daily budget starts over after this long; a session's lasts as long as the session. */
    private readonly windowMs?: number,
  ) {}

  get remaining(): number {
    return Math.min(this.ownRemaining(), this.parent?.remaining ?? Number.POSITIVE_INFINITY);
  }

  get used(): number {
    this.startOverIfDue();
    return this.spent;
  }

  /** The budget that refuses `tokens`, this one or the one above it; undefined when both allow them. */
  refusing(tokens: number): TokenBudget | undefined {
    return tokens > this.ownRemaining() ? this : this.parent?.refusing(tokens);
  }

  /** Holds `tokens` for a request about to be sent, or names the budget that has not got them. */
  reserve(tokens: number): Reserved {
    const refusedBy = this.refusing(tokens);
    if (refusedBy !== undefined) return { refusedBy };
    const above = this.parent?.reserve(tokens) as Reservation | undefined;
    this.reserved += tokens;
    let open = true;
    const close = () => {
      const wasOpen = open;
      if (open) this.reserved -= tokens;
      open = false;
      return wasOpen;
    };
    return {
      settle: (actualTokens) => {
        if (!close()) return;
        this.spent += actualTokens;
        above?.settle(actualTokens);
      },
      release: () => {
        if (close()) above?.release();
      },
    };
  }

  /** Keeps a 2026-07-28 round's reservation for its retry; released if the client is not back after `expiresInMs`. */
  hold(reservation: Reservation, expiresInMs: number): string {
    const id = randomUUID();
    const expiry = setTimeout(() => this.takeHeld(id)?.release(), expiresInMs).unref();
    this.held.set(id, { reservation, expiry });
    return id;
  }

  /** 2026-07-28 rounds whose retry has not come back yet: their user may still be deciding. */
  get awaitingRetries(): number {
    return this.held.size;
  }

  /** The reservation `hold` returned `id` for, once; undefined for an unknown, expired or reused id. */
  takeHeld(id: string): Reservation | undefined {
    const entry = this.held.get(id);
    this.held.delete(id);
    if (entry) clearTimeout(entry.expiry);
    return entry?.reservation;
  }

  /** Records tokens spent without a reservation (a 2026-07-28 answer whose reservation expired). */
  charge(tokens: number): void {
    this.startOverIfDue();
    this.spent += tokens;
    this.parent?.charge(tokens);
  }

  private ownRemaining(): number {
    this.startOverIfDue();
    return Math.max(0, this.limit - this.spent - this.reserved);
  }

  private startOverIfDue(): void {
    if (this.windowMs === undefined || Date.now() - this.windowStart < this.windowMs) return;
    this.windowStart = Date.now();
    this.spent = 0;
  }
}

/** Makes session budgets within one daily budget, which every session and both eras of the process share. */
export function sessionBudgets(limits: { tokenBudget: number; dailyTokenBudget: number }): () => TokenBudget {
  const daily = new TokenBudget(limits.dailyTokenBudget, 'daily', undefined, DAY_MS);
  return () => new TokenBudget(limits.tokenBudget, 'session', daily);
}

/** What the sampler needs of a budget: a TokenBudget, or one kept where several processes share it. */
export type Budget = Pick<TokenBudget, 'limit' | 'remaining' | 'hold' | 'takeHeld' | 'charge'> & {
  reserve(tokens: number): Reserved | Promise<Reserved>;
};

/** A reservation, or the budget without room for it: its scope, what it has left and its limit. */
export type Reserved = Reservation | { refusedBy: Pick<TokenBudget, 'scope' | 'remaining' | 'limit'> };

export interface Reservation {
  /** Replaces the reservation with what the request is estimated to have cost. */
  settle(actualTokens: number): void;
  /** Gives the reservation back: nothing reached a model. */
  release(): void;
}
