import { afterEach, describe, expect, it, vi } from 'vitest';

import { DAY_MS, estimateRequestTokens, estimateTokens, MESSAGE_OVERHEAD_TOKENS, sessionBudgets, TokenBudget, type Reservation } from '../src/sampling/tokens.js';

/** A reservation the test expects the budget to grant. */
function granted(reserved: ReturnType<TokenBudget['reserve']>): Reservation {
  if ('refusedBy' in reserved) throw new Error(`refused by the ${reserved.refusedBy.scope} budget`);
  return reserved;
}

describe('estimateTokens', () => {
  it('counts one token per 4 ASCII characters, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('x'.repeat(4000))).toBe(1000);
  });

  it('counts one token per non-ASCII character', () => {
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('café')).toBe(2); // "caf" rounds up to 1, "é" is 1
    expect(estimateTokens('👍')).toBe(1);
  });

  it('counts each code point once, lone surrogates included', () => {
    expect(estimateTokens('👍👍abc')).toBe(3);
    expect(estimateTokens('\ud83d')).toBe(1);
    expect(estimateTokens('\ude00\ud83d')).toBe(2);
    expect(estimateTokens('a\ud83dxyz')).toBe(2);
    expect(estimateTokens('\ud83d\ud83d\ude00')).toBe(2);
  });

  it('adds framing overhead per message and for the system prompt', () => {
    expect(estimateRequestTokens(undefined, ['abcd'])).toBe(1 + MESSAGE_OVERHEAD_TOKENS);
    expect(estimateRequestTokens('abcd', ['abcd', 'abcd'])).toBe(3 + 3 * MESSAGE_OVERHEAD_TOKENS);
  });
});

describe('TokenBudget', () => {
  it('refuses a reservation larger than what is left', () => {
    const budget = new TokenBudget(100);
    expect(budget.reserve(101)).toEqual({ refusedBy: budget });
    expect(budget.reserve(100)).not.toHaveProperty('refusedBy');
    expect(budget.reserve(1)).toEqual({ refusedBy: budget });
  });

  it('replaces a reservation by the settled amount', () => {
    const budget = new TokenBudget(100);
    const reservation = granted(budget.reserve(80));
    expect(budget.remaining).toBe(20);
    reservation.settle(30);
    expect(budget.used).toBe(30);
    expect(budget.remaining).toBe(70);
    reservation.settle(30); // settling twice changes nothing
    expect(budget.used).toBe(30);
  });

  it('gives a released reservation back in full', () => {
    const budget = new TokenBudget(100);
    granted(budget.reserve(80)).release();
    expect(budget.remaining).toBe(100);
    expect(budget.used).toBe(0);
  });

  it('never reports a negative remainder after charges beyond the limit', () => {
    const budget = new TokenBudget(100);
    budget.charge(150);
    expect(budget.remaining).toBe(0);
  });
});

describe('sessionBudgets', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a daily budget across sessions: a new session does not reset what the process may spend', () => {
    const newSession = sessionBudgets({ tokenBudget: 100, dailyTokenBudget: 250 });
    for (const session of [newSession(), newSession()]) granted(session.reserve(100)).settle(100);
    const third = newSession();

    expect(third.remaining).toBe(50);
    expect(third.reserve(60)).toMatchObject({ refusedBy: { scope: 'daily', limit: 250, remaining: 50 } });
    expect(third.refusing(60)).toMatchObject({ scope: 'daily', limit: 250 });
    expect(third.refusing(40)).toBeUndefined();
  });

  it('names the session budget when that is the one that refuses', () => {
    const session = sessionBudgets({ tokenBudget: 100, dailyTokenBudget: 1_000 })();
    expect(session.refusing(101)?.scope).toBe('session');
  });

  it('starts the daily budget over after 24 hours', () => {
    vi.useFakeTimers();
    const newSession = sessionBudgets({ tokenBudget: 100, dailyTokenBudget: 100 });
    granted(newSession().reserve(100)).settle(100);
    expect(newSession().remaining).toBe(0);
    vi.advanceTimersByTime(DAY_MS);
    expect(newSession().remaining).toBe(100);
  });
});

describe('held reservations (2026-07-28 rounds)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are found once by their id and settled', () => {
    const budget = new TokenBudget(100);
    const id = budget.hold(granted(budget.reserve(80)), 1_000);
    expect(budget.remaining).toBe(20);
    budget.takeHeld(id)!.settle(10);
    expect(budget.used).toBe(10);
    expect(budget.takeHeld(id)).toBeUndefined();
    expect(budget.takeHeld('made-up')).toBeUndefined();
  });

  it('are released when the client never comes back', () => {
    vi.useFakeTimers();
    const budget = new TokenBudget(100);
    const id = budget.hold(granted(budget.reserve(80)), 1_000);
    vi.advanceTimersByTime(1_000);
    expect(budget.remaining).toBe(100);
    expect(budget.takeHeld(id)).toBeUndefined();
  });
});
