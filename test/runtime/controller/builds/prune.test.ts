import { describe, expect, it } from 'vitest';
import { runsToPrune } from '../../../../lib/runtime/controller/builds/prune';
import { fakeRun, withNumbers } from './build-fixtures';

const handled = { 'imagestreams.dev/completion': 'Succeeded' };

describe('runsToPrune', () => {
  it('keeps the newest successful and failed runs up to each limit, oldest pruned first', () => {
    const runs = withNumbers(
      fakeRun(1, 'succeeded', handled), fakeRun(2, 'failed', handled), fakeRun(3, 'succeeded', handled),
      fakeRun(4, 'failed', handled), fakeRun(5, 'succeeded', handled), fakeRun(6, 'running'),
    );
    expect(runsToPrune({ successfulBuildsHistoryLimit: 2, failedBuildsHistoryLimit: 1 }, runs).map((r) => r.metadata.name)).toEqual(['app-1', 'app-2']);
  });

  it('defaults to 5 and 5, and keeps runs whose outcome is not recorded yet', () => {
    const runs = withNumbers(...[1, 2, 3, 4, 5, 6].map((n) => fakeRun(n, 'succeeded', handled)), fakeRun(7, 'succeeded'));
    expect(runsToPrune({}, runs).map((r) => r.metadata.name)).toEqual(['app-1']);
    expect(runsToPrune({ successfulBuildsHistoryLimit: 0 }, withNumbers(fakeRun(1, 'succeeded')))).toEqual([]);
  });
});
