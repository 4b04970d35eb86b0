import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { DAY_MS, TokenBudget } from '../sampling/tokens.js';
import { currentCaller } from './identity.js';

/**
 * The budgets of HTTP calls, in this process's memory. A 2025-era session gets a session budget; so do a
 * caller's 2026-07-28 requests, which have no session (together they are one). Each sits within its caller's
 * daily share (SAMPLING_CALLER_DAILY_TOKEN_BUDGET), within the daily budget of the whole process. Replicas of
 * this server would each have budgets of their own: generate with --store redis to share them.
 */
export class CallerBudgets {
  private readonly daily: TokenBudget;
  private readonly callers = new Map<string, { daily: TokenBudget; stateless: TokenBudget }>();

  constructor(
    private readonly config: Config,
    log: Logger,
  ) {
    this.daily = new TokenBudget(config.dailyTokenBudget, 'daily', undefined, DAY_MS);
    log({ event: 'budgets', store: 'memory' });
  }

  /** A new 2025-era session's budget, for the current caller. */
  newSession(): TokenBudget {
    return new TokenBudget(this.config.tokenBudget, 'session', this.ofCaller().daily);
  }

  /** 2026-07-28 calls of every caller whose retry with the answer has not come back yet. */
  awaitingRetries(): number {
    let waiting = 0;
    for (const { stateless } of this.callers.values()) waiting += stateless.awaitingRetries;
    return waiting;
  }

  /** What the current caller's 2026-07-28 requests share. */
  stateless(): TokenBudget {
    return this.ofCaller().stateless;
  }

  private ofCaller() {
    const name = currentCaller() ?? '';
    let budgets = this.callers.get(name);
    if (budgets === undefined) {
      const daily = new TokenBudget(this.config.callerDailyTokenBudget, 'caller', this.daily, DAY_MS);
      budgets = { daily, stateless: new TokenBudget(this.config.tokenBudget, 'session', daily) };
      this.callers.set(name, budgets);
    }
    return budgets;
  }

  /** Whether budgets can be reserved: in this process's memory, always. */
  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
