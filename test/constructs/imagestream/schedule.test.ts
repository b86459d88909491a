import { describe, expect, it } from 'vitest';
import { importSchedule } from '../../../constructs/imagestream/schedule';

describe('importSchedule', () => {
  it('fires every period that divides an hour, offset by a stable hash of the stream', () => {
    const a = importSchedule(15 * 60, 'team/jdk8');
    expect(a).toMatch(/^([0-9]|1[0-4])-59\/15 \* \* \* \*$/);
    expect(importSchedule(15 * 60, 'team/jdk8')).toBe(a);
  });

  it('spreads streams across minutes', () => {
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => importSchedule(30 * 60, `ns/stream-${i}`).split('-')[0]));
    expect(offsets.size).toBeGreaterThan(10);
  });

  it('rounds an interval that does not divide an hour down to one that does (the importer enforces the exact interval)', () => {
    expect(importSchedule(7 * 60, 'x')).toMatch(/^\d-59\/6 \* \* \* \*$/);
    expect(importSchedule(60, 'x')).toBe('* * * * *');
  });

  it('uses hours for long intervals, and a daily time for a day or more', () => {
    expect(importSchedule(6 * 3600, 'x')).toMatch(/^\d+ [0-5]-23\/6 \* \* \*$/);
    expect(importSchedule(48 * 3600, 'x')).toMatch(/^\d+ \d+ \* \* \*$/);
  });
});
