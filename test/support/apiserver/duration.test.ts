import { describe, expect, it } from 'vitest';
import { dateCell, humanDuration } from './duration';

describe('humanDuration', () => {
  it.each([
    [0, '0s'],
    [-1500, '0s'],
    [-5000, '<invalid>'],
    [90_000, '90s'],
    [330_000, '5m30s'],
    [300_000, '5m'],
    [45 * 60_000, '45m'],
    [(3 * 60 + 20) * 60_000, '3h20m'],
    [20 * 3_600_000, '20h'],
    [(2 * 24 + 4) * 3_600_000, '2d4h'],
    [30 * 86_400_000, '30d'],
    [(3 * 365 + 10) * 86_400_000, '3y10d'],
    [10 * 365 * 86_400_000, '10y'],
  ])('%i ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('dateCell', () => {
  it('turns a timestamp into an age and garbage into <invalid>', () => {
    expect(dateCell('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z'))).toBe('5m');
    expect(dateCell('yesterday')).toBe('<invalid>');
    expect(dateCell(undefined)).toBeNull();
  });
});
