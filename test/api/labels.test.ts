import { describe, expect, it } from 'vitest';
import { buildNumber, numbered, runName } from '../../lib/api/labels';
import { fakeRun } from '../runtime/controller/builds/build-fixtures';

describe('build labels', () => {
  it('names build n of a BuildConfig deterministically', () => {
    expect(runName('foo', 12)).toBe('foo-12');
  });

  it('reads only well-formed build numbers', () => {
    const labelled = (value: string) => ({ ...fakeRun(undefined, 'running'), metadata: { labels: { 'imagestreams.dev/build-number': value } } });
    expect(buildNumber(labelled('7'))).toBe(7);
    for (const bad of ['0', '07', '-1', 'x', '1.5']) expect(buildNumber(labelled(bad))).toBeUndefined();
    expect(buildNumber(fakeRun(undefined, 'pending'))).toBeUndefined();
  });

  it('orders numbered runs ascending and leaves the others out', () => {
    expect(numbered([fakeRun(10, 'running'), fakeRun(undefined, 'pending'), fakeRun(9, 'failed')]).map((r) => r.n)).toEqual([9, 10]);
  });
});
