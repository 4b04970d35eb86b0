import { randomUUID } from 'node:crypto';

/**
 * Token estimates and the token budgets (per session, and per day for the whole process).
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

/** How often the daily budget starts over. */
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface BudgetOptions {
  /** Which budget this is, in messages: "session" or "daily". */
  scope: string;
  /** A budget above this one (the process's daily budget above each session's): a call must fit both. */
  parent?: TokenBudget;
  /** Start over after this long (the daily budget); a session budget lasts as long as its session. */
  windowMs?: number;
}

/**
 * Estimated tokens that may still be spent. A request first reserves its worst case
 * (input estimate + maxTokens), so concurrent calls cannot overdraw the budget together; once the
 * answer is in, the reservation is replaced by the actual estimate (input + answer length).
 */
export class TokenBudget {
  readonly scope: string;
  private readonly parent: TokenBudget | undefined;
  private readonly windowMs: number | undefined;
  private windowStart = Date.now();
  private spent = 0;
  private reserved = 0;
  /** 2026-07-28 reservations, which outlive the request that made them: found again by id. */
  private readonly held = new Map<string, Reservation>();

  constructor(
    readonly limit: number,
    { scope, parent, windowMs }: BudgetOptions = { scope: 'session' },
  ) {
    this.scope = scope;
    this.parent = parent;
    this.windowMs = windowMs;
  }

  /** What is left here, or above, whichever is less. */
  get remaining(): number {
    return Math.min(this.ownRemaining(), this.parent?.remaining ?? Number.POSITIVE_INFINITY);
  }

  get used(): number {
    this.startOverIfDue();
    return this.spent;
  }

  /** The budget that refuses `tokens`: this one or the one above it; undefined when both allow them. */
  refusing(tokens: number): TokenBudget | undefined {
    if (tokens > this.ownRemaining()) return this;
    return this.parent?.refusing(tokens);
  }

  /** Holds `tokens` for a request about to be sent, or returns undefined when they are not available. */
  reserve(tokens: number): Reservation | undefined {
    if (this.refusing(tokens) !== undefined) return undefined;
    const above = this.parent?.reserve(tokens);
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
        if (!close()) return;
        this.spent += actualTokens;
        above?.settle(actualTokens);
      },
      release: () => {
        if (close()) above?.release();
      },
    };
  }

  /**
   * Reserves `tokens` for a 2026-07-28 round: the answer comes back in a later request, which finds the
   * reservation with `takeHeld(id)`. Unclaimed after `expiresInMs` (the client never came back), it is
   * released. Returns the id, or undefined when the tokens are not available.
   */
  hold(tokens: number, expiresInMs: number): string | undefined {
    const reservation = this.reserve(tokens);
    if (!reservation) return undefined;
    const id = randomUUID();
    const expiry = setTimeout(() => {
      this.held.delete(id);
      reservation.release();
    }, expiresInMs).unref();
    this.held.set(id, {
      settle: (actualTokens) => {
        clearTimeout(expiry);
        reservation.settle(actualTokens);
      },
      release: () => {
        clearTimeout(expiry);
        reservation.release();
      },
    });
    return id;
  }

  /** The reservation `hold` returned `id` for, once; undefined for an unknown, expired or reused id. */
  takeHeld(id: string): Reservation | undefined {
    const reservation = this.held.get(id);
    this.held.delete(id);
    return reservation;
  }

  /** Records tokens spent without a prior reservation (a 2026-07-28 answer whose reservation expired). */
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

/**
 * The budgets of one server process: a daily budget that every session and both eras share (so new
 * sessions cannot reset what the process spends), and a budget per session within it.
 */
export class ProcessBudgets {
  readonly daily: TokenBudget;

  constructor(private readonly limits: { tokenBudget: number; dailyTokenBudget: number }) {
    this.daily = new TokenBudget(limits.dailyTokenBudget, { scope: 'daily', windowMs: DAY_MS });
  }

  newSession(): TokenBudget {
    return new TokenBudget(this.limits.tokenBudget, { scope: 'session', parent: this.daily });
  }
}

export interface Reservation {
  /** Replaces the reservation with what the request is estimated to have cost. */
  settle(actualTokens: number): void;
  /** Gives the reservation back: nothing reached a model. */
  release(): void;
}
