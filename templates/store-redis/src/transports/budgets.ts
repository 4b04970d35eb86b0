import { randomBytes, randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

import type { Config, EnvReader } from '../config.js';
import type { Logger } from '../log.js';
import { DAY_MS } from '../sampling/tokens.js';
import { currentCaller } from './identity.js';
import { defineBudgetScripts, RedisBudget, type Scope } from './redisBudget.js';

/** Longest wait for Redis before a call is refused as "budget store unavailable". */
const COMMAND_TIMEOUT_MS = 2_000;
{{#if bothEras}}
/** A secret shorter than this could be guessed. `openssl rand -hex 32` prints a 64-character one. */
const MIN_SECRET_LENGTH = 32;
{{/if}}

export function storeSettings(read: EnvReader) {
{{#if bothEras}}
  const requestStateSecret = read.string('REQUEST_STATE_SECRET', '');
  if (requestStateSecret !== '' && requestStateSecret.length < MIN_SECRET_LENGTH) {
    read.problems.push(`REQUEST_STATE_SECRET must be at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32 makes one)`);
  }
{{/if}}
  return {
    /** The Redis every replica keeps the budgets in. */
    redisUrl: read.string('REDIS_URL', 'redis://127.0.0.1:6379'),
    /** What this server's keys start with (and a colon), so that several servers can share one Redis. */
    keyPrefix: `${read.string('REDIS_KEY_PREFIX', {{ts binName}})}:`,
{{#if bothEras}}
    /** Seals what a 2026-07-28 round carries to its retry; undefined: a secret of this process only. */
    requestStateSecret: requestStateSecret === '' ? undefined : requestStateSecret,
{{/if}}
  };
}

/**
 * The budgets of HTTP calls, in Redis: every replica of this server spends from the same ones. A 2025-era
 * session gets a session budget; so do a caller's 2026-07-28 requests, which have no session (together they are
 * one). Each sits within its caller's daily share (SAMPLING_CALLER_DAILY_TOKEN_BUDGET), within the daily budget
 * of all the replicas together; a day is a UTC day. When Redis cannot be reached, calls are refused ("budget
 * store unavailable") until it can.
 */
export class CallerBudgets {
  private readonly redis: Redis;
  private readonly stateSecret: string;
  private readonly callers = new Map<string, RedisBudget>();

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    const { redisUrl{{#if bothEras}}, requestStateSecret{{/if}} } = config.store;
    // While Redis is away a command waits for one reconnection at most, then fails: the call is refused, not held.
    // A command Redis may have run is never sent again after a reconnection: the scripts count once per id anyway.
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, autoResendUnfulfilledCommands: false });
    defineBudgetScripts(this.redis);
    let reachable = true;
    this.redis.on('error', (error: Error) => {
      if (reachable) log({ event: 'budget_store_unreachable', message: error.message });
      reachable = false;
    });
    this.redis.on('ready', () => {
      if (!reachable) log({ event: 'budget_store_reachable' });
      reachable = true;
    });
{{#if bothEras}}
    this.stateSecret = requestStateSecret ?? randomBytes(32).toString('hex');
    log({ event: 'budgets', store: 'redis', redis: withoutPassword(redisUrl) });
    if (requestStateSecret === undefined) {
      log({ event: 'warning', message: 'REQUEST_STATE_SECRET is unset: a 2026-07-28 retry that reaches another replica is charged without its reservation' });
    }
{{else}}
    // The 2025 era has no state to seal: a secret of this process is enough.
    this.stateSecret = randomBytes(32).toString('hex');
    log({ event: 'budgets', store: 'redis', redis: withoutPassword(redisUrl) });
{{/if}}
  }

  /** A new 2025-era session's budget, for the current caller. */
  newSession(): RedisBudget {
    const session: Scope = { key: `${this.config.store.keyPrefix}session:${randomUUID()}`, name: 'session', limit: this.config.tokenBudget };
    const caller = currentCaller() ?? '';
    return this.budget(caller, () => [session, ...this.daily(caller)]);
  }

  /** What the current caller's 2026-07-28 requests share, on every replica. */
  stateless(): RedisBudget {
    const name = currentCaller() ?? '';
    let budget = this.callers.get(name);
    if (budget === undefined) {
      // A day's worth: without sessions, the caller's session budget starts over with each day.
      budget = this.budget(name, () => [
        { key: `${this.config.store.keyPrefix}stateless:${name}:${today()}`, name: 'session', limit: this.config.tokenBudget },
        ...this.daily(name),
      ]);
      this.callers.set(name, budget);
    }
    return budget;
  }

  /** 2026-07-28 rounds this replica started whose retry has not come back to it (any replica may take it). */
  awaitingRetries(): number {
    let waiting = 0;
    for (const budget of this.callers.values()) waiting += budget.awaitingRetries;
    return waiting;
  }

  /** Whether budgets can be reserved: Redis answers. */
  async ready(): Promise<boolean> {
    return this.redis.ping().then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** The caller's share of today, and today's budget of every replica. */
  private daily(caller: string): Scope[] {
    const { store, callerDailyTokenBudget, dailyTokenBudget } = this.config;
    const day = today();
    return [
      { key: `${store.keyPrefix}caller:${caller}:${day}`, name: 'caller', limit: callerDailyTokenBudget },
      { key: `${store.keyPrefix}daily:${day}`, name: 'daily', limit: dailyTokenBudget },
    ];
  }

  private budget(owner: string, scopes: () => Scope[]): RedisBudget {
    const { config } = this;
    // By the approval timeout a call has settled its reservation, or its replica is gone and Redis gives it back;
    // the margin (a tenth of the timeout, at most 5 s) covers an answer still on its way.
    const reservationMs = config.approvalTimeoutMs + Math.min(5_000, config.approvalTimeoutMs / 10);
    return new RedisBudget({ redis: this.redis, scopes, reservationMs, keepMs: 2 * DAY_MS, owner, stateSecret: this.stateSecret, log: this.log });
  }
}

/** Days since 1970 in UTC: a day's keys carry it, so each day's budget starts from nothing. */
function today(): number {
  return Math.floor(Date.now() / DAY_MS);
}

/** REDIS_URL as logs may show it. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return 'REDIS_URL (not a URL)';
  }
}
