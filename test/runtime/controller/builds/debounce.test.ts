import { describe, expect, it } from 'vitest';
import { Debouncer, windowSeconds } from '../../../../lib/runtime/controller/builds/debounce';
import { fakeBuildConfig } from './build-fixtures';

describe('Debouncer', () => {
  it('opens a window at the first change and does not extend it', () => {
    // GIVEN a 10 s window and a clock under the test's control
    let now = 1_000;
    const debouncer = new Debouncer(10, () => now);
    const bc = fakeBuildConfig();
    // WHEN changes are seen at 0 s, 4 s and 12 s
    expect(debouncer.remainingMs('ns/app', bc)).toBe(10_000);
    now += 4_000;
    expect(debouncer.remainingMs('ns/app', bc)).toBe(6_000);
    now += 8_000;
    // THEN the build may start at 10 s, however many changes came in between
    expect(debouncer.remainingMs('ns/app', bc)).toBe(0);
    // AND after it started, the next change opens a new window
    debouncer.close('ns/app');
    expect(debouncer.remainingMs('ns/app', bc)).toBe(10_000);
  });

  it('a window of 0 starts builds at once', () => {
    expect(new Debouncer(0).remainingMs('k', fakeBuildConfig())).toBe(0);
  });
});

describe('windowSeconds', () => {
  it('takes the BuildConfig\'s annotation over the default; ignores one that is not a number', () => {
    expect(windowSeconds(fakeBuildConfig({}, { annotations: { 'imagestreams.dev/debounce-seconds': '2.5' } }), 10)).toBe(2.5);
    expect(windowSeconds(fakeBuildConfig({}, { annotations: { 'imagestreams.dev/debounce-seconds': 'soon' } }), 10)).toBe(10);
    expect(windowSeconds(fakeBuildConfig(), 7)).toBe(7);
  });
});
