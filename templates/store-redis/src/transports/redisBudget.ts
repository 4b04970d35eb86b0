import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

import type { Redis, Result } from 'ioredis';

import type { Logger } from '../log.js';
import type { Budget, Reservation, Reserved } from '../sampling/tokens.js';

/**
 * Token budgets in Redis, so that every replica of this server spends from the same ones. A budget is a chain
 * of scopes (a session, its caller's day, the whole day), checked and reserved together by one Lua script:
 * two replicas cannot both take the last tokens. Each reservation expires after `reservationMs`, so the
 * reservation of a replica that dies mid-call is given back within that time.
 */

/** One level of a budget: its Redis key, its name in messages, and its limit. */
export interface Scope {
  key: string;
  name: string;
  limit: number;
}

/**
 * Per scope key: `:spent` (tokens settled), `:reserved` (tokens held now), `:held` (reservation id -> tokens)
 * and `:expiry` (reservation id -> when it lapses, in ms). Every call first gives back lapsed reservations.
 */
const FORGET_LAPSED = `
local function forgetLapsed(key, now)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key .. ':expiry', '-inf', now)) do
    redis.call('DECRBY', key .. ':reserved', tonumber(redis.call('HGET', key .. ':held', id) or '0'))
    redis.call('HDEL', key .. ':held', id)
    redis.call('ZREM', key .. ':expiry', id)
  end
end
local function keep(key, ms)
  for _, part in ipairs({ ':spent', ':reserved', ':held', ':expiry' }) do redis.call('PEXPIRE', key .. part, ms) end
end
local function left(key, limit)
  local reserved = math.max(0, tonumber(redis.call('GET', key .. ':reserved') or '0'))
  return limit - tonumber(redis.call('GET', key .. ':spent') or '0') - reserved
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * KEYS: the scopes, innermost first. ARGV: tokens, id, reservation ms, keep ms, then each scope's limit. Returns
 * {refusing scope or 0, tokens left}. Running it twice with one id (a command sent again after a reconnection)
 * reserves once.
 */
const RESERVE = `${FORGET_LAPSED}
local tokens, id, lapse, ms = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('HEXISTS', KEYS[1] .. ':held', id) == 1 then return { 0, 0 } end
local least = nil
for i, key in ipairs(KEYS) do
  forgetLapsed(key, now)
  local available = left(key, tonumber(ARGV[4 + i]))
  if available < tokens then return { i, math.max(0, available) } end
  if least == nil or available < least then least = available end
end
for _, key in ipairs(KEYS) do
  redis.call('SET', key .. ':spent', 0, 'NX')
  redis.call('INCRBY', key .. ':reserved', tokens)
  redis.call('HSET', key .. ':held', id, tokens)
  redis.call('ZADD', key .. ':expiry', now + lapse, id)
  keep(key, ms)
end
return { 0, least - tokens }`;

/**
 * KEYS: the scopes. ARGV: id, tokens spent (0 to give the reservation back), keep ms, then each scope's limit.
 * Returns the tokens left. An id is settled once: running it again charges nothing more.
 */
const SETTLE = `${FORGET_LAPSED}
local id, spent, ms = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if not redis.call('SET', KEYS[1] .. ':settled:' .. id, 1, 'NX', 'PX', ms) then spent = 0 end
local least = nil
for i, key in ipairs(KEYS) do
  forgetLapsed(key, now)
  redis.call('DECRBY', key .. ':reserved', tonumber(redis.call('HGET', key .. ':held', id) or '0'))
  redis.call('HDEL', key .. ':held', id)
  redis.call('ZREM', key .. ':expiry', id)
  redis.call('INCRBY', key .. ':spent', spent)
  keep(key, ms)
  local available = left(key, tonumber(ARGV[3 + i]))
  if least == nil or available < least then least = available end
end
return math.max(0, least)`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserveTokens(...args: (string | number)[]): Result<[number, number], Context>;
    settleTokens(...args: (string | number)[]): Result<number, Context>;
  }
}

/** Teaches `redis` the two scripts; ioredis sends each once and then calls it by its hash. */
export function defineBudgetScripts(redis: Redis): void {
  redis.defineCommand('reserveTokens', { lua: RESERVE });
  redis.defineCommand('settleTokens', { lua: SETTLE });
}

/** Lua numbers are doubles: an unlimited scope gets the largest integer they hold exactly. */
const limitOf = (scope: Scope) => (Number.isFinite(scope.limit) ? scope.limit : Number.MAX_SAFE_INTEGER);

export interface RedisBudgetOptions {
  redis: Redis;
  /** The scopes as of now, innermost first: a day's scopes have the day in their key. */
  scopes: () => Scope[];
  /** How long a reservation lives without being settled: the approval timeout and a margin. */
  reservationMs: number;
  /** Whose rounds this budget holds (its caller): a sealed state is good for its owner only. */
  owner: string;
  /** How long the keys of an unused scope are kept (a day's keys, a day). */
  keepMs: number;
  /** Seals the reservation id a 2026-07-28 round carries in `requestState`: every replica must have it. */
  stateSecret: string;
  log: Logger;
}

/**
 * A budget whose reservations, spending and limits are in Redis. `remaining` is as of the last call to Redis
 * (it is reported in results and logs, never used to decide). A reservation that cannot be made because Redis
 * cannot be reached is refused by the scope `store`: nothing is sent without one.
 */
export class RedisBudget implements Budget {
  /** The innermost scope's limit (a session's, as a TokenBudget's). */
  readonly limit: number;
  remaining: number;
  /** Rounds held here whose retry has not come back here: a replica shutting down gives them a chance to. */
  private readonly heldHere = new Set<string>();

  constructor(private readonly options: RedisBudgetOptions) {
    this.limit = options.scopes()[0]!.limit;
    this.remaining = Math.min(...options.scopes().map(limitOf));
  }

  async reserve(tokens: number): Promise<Reserved> {
    const { redis, reservationMs, keepMs } = this.options;
    const scopes = this.options.scopes();
    const id = randomUUID();
    let refusing: number;
    let left: number;
    try {
      [refusing, left] = await redis.reserveTokens(scopes.length, ...scopes.map((scope) => scope.key), tokens, id, reservationMs, keepMs, ...scopes.map(limitOf));
    } catch (error) {
      this.storeError('reserve', error);
      // Redis may have made the reservation and lost only the answer: give it back if it can be reached.
      this.settle(id, 0);
      return { refusedBy: { scope: 'store', remaining: 0, limit: 0 } };
    }
    if (refusing > 0) {
      const scope = scopes[refusing - 1]!;
      return { refusedBy: { scope: scope.name, remaining: left, limit: scope.limit } };
    }
    this.remaining = left;
    return this.reservation(id);
  }

  /** The reservation `id` names: settling or releasing it works from any replica, and only once. */
  private reservation(id: string): Reservation & { id: string } {
    return { id, settle: (tokens) => this.settle(id, tokens), release: () => this.settle(id, 0) };
  }

  /** Spends `tokens` against reservation `id` (or none, for a lapsed one), in the background: the answer is not held up. */
  private settle(id: string, tokens: number): void {
    const { redis, keepMs } = this.options;
    const scopes = this.options.scopes();
    redis.settleTokens(scopes.length, ...scopes.map((scope) => scope.key), id, tokens, keepMs, ...scopes.map(limitOf)).then(
      (left: number) => (this.remaining = left),
      // The tokens are lost to the budget: the log says how many, for whoever reconciles it.
      (error: unknown) => this.storeError('settle', error, tokens),
    );
  }

  /** What a 2026-07-28 round carries to its retry: the reservation id, sealed so no client can forge one. */
  hold(reservation: Reservation): string {
    const { id } = reservation as Reservation & { id: string };
    this.heldHere.add(id);
    setTimeout(() => this.heldHere.delete(id), this.options.reservationMs).unref();
    return `${id}.${this.seal(id)}`;
  }

  get awaitingRetries(): number {
    return this.heldHere.size;
  }

  /** The reservation a retry names, from any replica; undefined when the seal does not hold. */
  takeHeld(state: string): Reservation | undefined {
    const [id = '', seal = ''] = state.split('.');
    const expected = Buffer.from(this.seal(id));
    const given = Buffer.from(seal);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    this.heldHere.delete(id);
    return this.reservation(id);
  }

  /** Spending without a reservation: a 2026-07-28 answer whose round this server cannot vouch for. */
  charge(tokens: number): void {
    this.settle(randomUUID(), tokens);
  }

  private seal(id: string): string {
    return createHmac('sha256', this.options.stateSecret).update(`${this.options.owner}\n${id}`).digest('base64url');
  }

  private storeError(operation: string, error: unknown, tokens?: number): void {
    this.options.log({ event: 'budget_store_error', operation, tokens, message: error instanceof Error ? error.message : String(error) });
  }
}
