import { describe, expect, it } from 'vitest';
import { admissions, startsPending } from '../../../../lib/runtime/controller/builds/run-policy';
import { fakeRun, withNumbers } from './build-fixtures';

const names = (runs: readonly { metadata: { name?: string } }[]) => runs.map((r) => r.metadata.name);

describe('admissions', () => {
  it('Serial: admits the lowest-numbered pending run once none runs', () => {
    const runs = withNumbers(fakeRun(1, 'succeeded'), fakeRun(2, 'pending'), fakeRun(3, 'pending'));
    expect(names(admissions('Serial', runs).admit)).toEqual(['app-2']);
    expect(admissions('Serial', runs).cancel).toEqual([]);
  });

  it('Serial: admits nothing while one runs', () => {
    expect(admissions('Serial', withNumbers(fakeRun(1, 'running'), fakeRun(2, 'pending'))).admit).toEqual([]);
  });

  it('SerialLatestOnly: cancels superseded pending runs, admits the newest when none runs', () => {
    const running = admissions('SerialLatestOnly', withNumbers(fakeRun(1, 'running'), fakeRun(2, 'pending'), fakeRun(3, 'pending')));
    expect(names(running.cancel)).toEqual(['app-2']);
    expect(running.admit).toEqual([]);
    const idle = admissions('SerialLatestOnly', withNumbers(fakeRun(1, 'failed'), fakeRun(3, 'pending')));
    expect(names(idle.admit)).toEqual(['app-3']);
  });

  it('Parallel: admits every pending run', () => {
    expect(names(admissions('Parallel', withNumbers(fakeRun(1, 'running'), fakeRun(2, 'pending'), fakeRun(3, 'pending'))).admit)).toEqual(['app-2', 'app-3']);
  });

  it('a cancelled run holds no slot', () => {
    expect(names(admissions('Serial', withNumbers(fakeRun(1, 'cancelled'), fakeRun(2, 'pending'))).admit)).toEqual(['app-2']);
  });
});

describe('startsPending', () => {
  it('is true for serial policies with a build running or queued, never for Parallel', () => {
    expect(startsPending('Serial', withNumbers(fakeRun(1, 'running')))).toBe(true);
    expect(startsPending('SerialLatestOnly', withNumbers(fakeRun(1, 'pending')))).toBe(true);
    expect(startsPending('Serial', withNumbers(fakeRun(1, 'succeeded'), fakeRun(2, 'failed')))).toBe(false);
    expect(startsPending('Parallel', withNumbers(fakeRun(1, 'running')))).toBe(false);
  });
});
