import { describe, expect, it } from 'vitest';
import { buildSucceededCondition, withCondition } from '../../../../lib/runtime/controller/builds/build-conditions';
import { fakeRun, withNumbers } from './build-fixtures';

describe('buildSucceededCondition', () => {
  it('reflects the newest finished build, skipping cancelled ones and those still running', () => {
    expect(buildSucceededCondition('app', withNumbers(fakeRun(1, 'failed'), fakeRun(2, 'succeeded'), fakeRun(3, 'cancelled'), fakeRun(4, 'running'))))
      .toEqual({ type: 'BuildSucceeded', status: 'True', reason: 'Succeeded', message: 'build app-2 succeeded' });
    expect(buildSucceededCondition('app', withNumbers(fakeRun(1, 'succeeded'), fakeRun(2, 'failed'))))
      .toEqual({ type: 'BuildSucceeded', status: 'False', reason: 'Failed', message: 'build app-2 failed: run 2 failed' });
    expect(buildSucceededCondition('app', withNumbers(fakeRun(1, 'running')))).toBeUndefined();
  });
});

describe('withCondition', () => {
  it('moves lastTransitionTime only when the status changes', () => {
    const before = [{ type: 'BuildSucceeded', status: 'True' as const, reason: 'Succeeded', lastTransitionTime: 't0' }];
    expect(withCondition(before, { type: 'BuildSucceeded', status: 'True', reason: 'Succeeded', message: 'build app-3 succeeded' }, 't1')[0].lastTransitionTime).toBe('t0');
    expect(withCondition(before, { type: 'BuildSucceeded', status: 'False', reason: 'Failed' }, 't1')[0].lastTransitionTime).toBe('t1');
  });
});
