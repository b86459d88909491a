import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../../lib/runtime/receiver/replay-guard';

const event = (id: string, at?: number) => ({ id, at, repository: 'team/app', tag: 'v1' });

describe('ReplayGuard', () => {
  it('accepts an id once within the window, per receiver, and again once the window has passed', () => {
    let now = 1_000_000;
    const guard = new ReplayGuard({ now: () => now });
    expect(guard.check('team/hook', event('a'), 60_000)).toBe('fresh');
    expect(guard.check('team/hook', event('a'), 60_000)).toBe('replayed');
    expect(guard.check('other/hook', event('a'), 60_000)).toBe('fresh');
    now += 60_001;
    expect(guard.check('team/hook', event('a'), 60_000)).toBe('fresh');
  });

  it('refuses events whose time is outside the window: older, or ahead of the clock by more than the skew', () => {
    const now = 1_000_000_000;
    const guard = new ReplayGuard({ now: () => now, clockSkewMs: 5_000 });
    expect(guard.check('r', event('old', now - 60_001), 60_000)).toBe('stale');
    expect(guard.check('r', event('ahead', now + 5_001), 60_000)).toBe('stale');
    expect(guard.check('r', event('edge', now - 60_000), 60_000)).toBe('fresh');
  });

  it('stays within its size, forgetting the oldest ids first', () => {
    const guard = new ReplayGuard({ maxEntries: 3, now: () => 0 });
    for (const id of ['a', 'b', 'c', 'd']) guard.check('r', event(id), 60_000);
    expect(guard.size).toBe(3);
    expect(guard.check('r', event('d'), 60_000)).toBe('replayed');
    expect(guard.check('r', event('a'), 60_000)).toBe('fresh');
  });
});
