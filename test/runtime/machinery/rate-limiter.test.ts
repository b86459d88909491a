import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../lib/runtime/machinery/rate-limiter';

describe('RateLimiter', () => {
  it('doubles from the base per key, caps, and starts over when forgotten', () => {
    // GIVEN defaults (5 ms base, 60 s cap)
    const limiter = new RateLimiter();
    // WHEN a key fails 20 times
    const delays = Array.from({ length: 20 }, () => limiter.when('k'));
    // THEN the delays double and stop at the cap
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays.at(-1)).toBe(60_000);
    expect(Math.max(...delays)).toBe(60_000);
    expect(limiter.attempts('k')).toBe(20);
    expect(limiter.when('other')).toBe(5);
    limiter.forget('k');
    expect(limiter.when('k')).toBe(5);
  });
});
