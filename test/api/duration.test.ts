import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { goDuration } from '../../lib/api/duration';

describe('goDuration', () => {
  it.each([
    [Duration.minutes(90), '1h30m0s'],
    [Duration.hours(2), '2h0m0s'],
    [Duration.seconds(45), '0h0m45s'],
    [Duration.millis(1500), '0h0m1.5s'],
  ])('prints %s as Go does', (duration, text) => {
    expect(goDuration(duration)).toBe(text);
  });
});
