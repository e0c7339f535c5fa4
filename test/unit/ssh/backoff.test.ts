import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../electron/transport/backoff';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap when jitter is off', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1_000, jitter: 0 });
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
    expect(b.attempt).toBe(7);
  });

  it('jitter only shortens a delay, by at most the jitter fraction', () => {
    const lowest = new Backoff({ initialMs: 1_000, maxMs: 8_000, jitter: 0.5, random: () => 0.999999 });
    const highest = new Backoff({ initialMs: 1_000, maxMs: 8_000, jitter: 0.5, random: () => 0 });
    expect(lowest.next()).toBe(500);
    expect(highest.next()).toBe(1_000);
    for (let i = 0; i < 10; i++) expect(highest.next()).toBeLessThanOrEqual(8_000);
  });

  it('spreads clients that fail together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => new Backoff({ initialMs: 1_000, jitter: 0.5 }).next()));
    expect(delays.size).toBeGreaterThan(5);
  });

  it('starts short again after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 10_000, jitter: 0 });
    b.next();
    b.next();
    b.next();
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(100);
  });

  it('stays finite and capped after a very long outage', () => {
    const b = new Backoff({ initialMs: 1_000, maxMs: 60_000, jitter: 0 });
    let last = 0;
    for (let i = 0; i < 5_000; i++) last = b.next();
    expect(last).toBe(60_000);
  });

  it('rejects settings that make no sense', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => new Backoff({ jitter: 2 })).toThrow(RangeError);
  });
});
