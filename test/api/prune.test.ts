import { describe, expect, it } from 'vitest';
import { keepsHistoryItem, runsToPrune } from '../../lib/api/prune';
import { fakeRun, withNumbers } from '../runtime/controller/builds/build-fixtures';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const at = (hoursAgo: number) => ({ created: new Date(NOW - hoursAgo * HOUR).toISOString() });

describe('keepsHistoryItem', () => {
  const policy = { keepTagRevisions: 2, keepYoungerThanMs: HOUR, now: NOW };

  it('keeps the newest keepTagRevisions items whatever their age, and younger ones beyond them', () => {
    // GIVEN items 0..3, old except item 3 (30 minutes)
    // WHEN asked THEN 0 and 1 by position, 3 by age; 2 goes
    expect([at(10), at(9), at(8), at(0.5)].map((item, i) => keepsHistoryItem(item, i, policy))).toEqual([true, true, false, true]);
  });

  it('keeps an item whose time cannot be read (when in doubt, nothing is deleted), and keeps none by position with 0', () => {
    expect(keepsHistoryItem({ created: 'yesterday' }, 5, policy)).toBe(true);
    expect(keepsHistoryItem(at(2), 0, { ...policy, keepTagRevisions: 0 })).toBe(false);
  });
});

describe('runsToPrune with a policy (imagestreams prune builds)', () => {
  const recorded = { 'imagestreams.dev/completion': 'Succeeded' };
  const finished = (n: number, phase: 'succeeded' | 'failed', hoursAgo: number) => {
    const run = fakeRun(n, phase, recorded);
    return { ...run, status: { ...run.status, completionTime: new Date(NOW - hoursAgo * HOUR).toISOString() } };
  };

  it('--keep-complete and --keep-failed replace the BuildConfig limits; runs finished within keepYoungerThan stay', () => {
    // GIVEN 4 successful and 2 failed runs; run 4 finished 10 minutes ago
    const runs = withNumbers(finished(1, 'succeeded', 5), finished(2, 'failed', 5), finished(3, 'succeeded', 4), finished(4, 'succeeded', 1 / 6), finished(5, 'failed', 3), finished(6, 'succeeded', 2));
    const spec = { successfulBuildsHistoryLimit: 5, failedBuildsHistoryLimit: 5 };
    // WHEN the spec's limits apply THEN nothing goes; with keepComplete 1 and keepFailed 0, all but run 6 and the young run 4
    expect(runsToPrune(spec, runs, { now: NOW, keepYoungerThanMs: HOUR })).toEqual([]);
    expect(runsToPrune(spec, runs, { keepComplete: 1, keepFailed: 0, keepYoungerThanMs: HOUR, now: NOW }).map((r) => r.metadata.name)).toEqual(['app-1', 'app-3', 'app-2', 'app-5']);
    // AND without keepYoungerThan (the controller's rule) the young one goes too
    expect(runsToPrune(spec, runs, { keepComplete: 1, keepFailed: 0 }).map((r) => r.metadata.name)).toEqual(['app-1', 'app-3', 'app-4', 'app-2', 'app-5']);
  });
});
