import { afterEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../../lib/runtime/receiver/debouncer';

describe('Debouncer', () => {
  afterEach(() => void vi.useRealTimers());

  it('fires the first event of a key at once, merges identical ones within the window into one call at its end, and loses none', () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    const d = new Debouncer(1000, (key) => void fired.push(key));
    // WHEN ten identical events and one other arrive within the window
    expect(d.push('team/app:v1')).toBe('fired');
    for (let i = 0; i < 9; i++) expect(d.push('team/app:v1')).toBe('merged');
    d.push('team/app:v2');
    // THEN each key fired once at once, and the merged ones once more at the window's end
    expect(fired).toEqual(['team/app:v1', 'team/app:v2']);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['team/app:v1', 'team/app:v2', 'team/app:v1']);
    // AND after a quiet window the key is forgotten: the next event fires at once again
    vi.advanceTimersByTime(1000);
    expect(d.size).toBe(0);
    d.push('team/app:v1');
    expect(fired).toHaveLength(4);
  });

  it('fires every event with a window of 0', () => {
    const fired: string[] = [];
    const d = new Debouncer(0, (key) => void fired.push(key));
    d.push('a');
    d.push('a');
    expect(fired).toEqual(['a', 'a']);
  });
});
