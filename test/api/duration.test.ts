import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration, shortDuration } from '../../lib/api/duration';

describe('formatGoDuration', () => {
  it.each([
    [90 * 60_000, '1h30m0s'],
    [2 * 3_600_000, '2h0m0s'],
    [5 * 60_000, '5m0s'],
    [45_000, '45s'],
    [1500, '1.5s'],
    [250, '250ms'],
    [0, '0s'],
    [3_600_000 + 1500, '1h0m1.5s'],
  ])('prints %d ms as Go time.Duration.String() does: %s', (ms, text) => {
    // GIVEN a duration WHEN formatted THEN it is Go's own text
    expect(formatGoDuration(ms)).toBe(text);
  });

  it('refuses negative and non-finite durations', () => {
    expect(() => formatGoDuration(-1)).toThrowError('a duration must be a finite, non-negative number of milliseconds (got -1)');
    expect(() => formatGoDuration(Number.NaN)).toThrowError(/got NaN/);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['1h30m0s', 5_400_000],
    ['5m', 300_000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it('reads back what formatGoDuration writes', () => {
    for (const ms of [0, 250, 1500, 45_000, 300_000, 5_400_000, 86_400_000]) expect(parseGoDuration(formatGoDuration(ms))).toBe(ms);
  });

  it('refuses text that is not a Go duration', () => {
    expect(() => parseGoDuration('5 minutes')).toThrowError("'5 minutes' is not a duration: write it as Go does, e.g. 90s, 5m or 1h30m");
    expect(() => parseGoDuration('')).toThrowError(/is not a duration/);
  });
});

describe('shortDuration', () => {
  it.each([
    [900, '15m'],
    [5400, '1h30m'],
    [45, '45s'],
    [300, '5m'],
    [3600, '1h'],
    [0, '0s'],
  ])('labels %d s as %s', (seconds, label) => {
    expect(shortDuration(seconds)).toBe(label);
  });
});
