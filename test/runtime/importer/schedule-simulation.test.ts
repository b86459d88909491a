import { describe, expect, it } from 'vitest';
import { ImageStream } from '../../../constructs';
import { Duration } from 'cdk8s';
import type { ImageStreamObject, NamedTagEventList } from '../../../lib/api/imagestream';
import { tagsToImport } from '../../../lib/runtime/importer/select-tags';
import { synthApp } from '../../support/synth-app';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The most a run of the CronJob starts after its scheduled minute here (Job creation, pod start, image pull). */
const MAX_START_DELAY = 20_000;

/** The minutes of a day (from 00:00) at which a cron schedule of the forms importSchedule writes fires. */
function fireMinutes(schedule: string): number[] {
  const [minute, hour] = schedule.split(' ');
  const matches = (field: string, value: number) => {
    if (field === '*') return true;
    const [range, step] = field.split('/');
    const [from, to] = range.split('-').map(Number);
    if (step === undefined) return value === from;
    return value >= from && value <= (to ?? from) && (value - from) % Number(step) === 0;
  };
  const out: number[] = [];
  for (let m = 0; m < 24 * 60; m++) if (matches(hour, Math.floor(m / 60)) && matches(minute, m % 60)) out.push(m);
  return out;
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

interface Simulated {
  readonly schedule: string;
  /** Epoch ms of each import, by tag. */
  readonly imports: Map<string, number[]>;
}

/**
 * Plays the stream's CronJob (its schedule as synthesized) over 24 h, each run starting up to
 * MAX_START_DELAY late, with the importer's due-check deciding what each run imports; an import
 * records lastImportAttempt as the importer's merge does.
 */
function simulate(intervals: Record<string, Duration>, seed: number): Simulated {
  const app = synthApp(({ chart }) => {
    const stream = new ImageStream(chart('sim'), 'sim');
    for (const [tag, interval] of Object.entries(intervals)) stream.importTag(tag, { from: `registry.example.com/sim:${tag}`, interval });
  });
  const schedule: string = app.one('CronJob').spec.schedule;
  const object = app.one('ImageStream') as unknown as ImageStreamObject;
  const status = new Map<string, NamedTagEventList>();
  const imports = new Map(Object.keys(intervals).map((t) => [t, [] as number[]]));
  const delay = random(seed);
  const start = Date.UTC(2026, 0, 1);
  // Two days of runs; the first day settles the offsets, the second is measured.
  for (const day of [0, 1]) {
    for (const minute of fireMinutes(schedule)) {
      const now = start + day * DAY + minute * MINUTE + Math.floor(delay() * MAX_START_DELAY);
      const stream = { ...object, status: { tags: [...status.values()] } };
      for (const tag of tagsToImport(stream, { scheduled: true, now })) {
        status.set(tag.name, { tag: tag.name, lastImportAttempt: new Date(now).toISOString() });
        if (day === 1) imports.get(tag.name)!.push(now);
      }
    }
  }
  return { schedule, imports };
}

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - times[i]);

describe('scheduled imports over a simulated 24 h', () => {
  const cases: [string, Duration][] = [
    ['1m', Duration.minutes(1)],
    ['15m', Duration.minutes(15)],
    ['1h', Duration.hours(1)],
    ['6h', Duration.hours(6)],
  ];

  it.each(cases)('a stream whose one tag imports every %s keeps every gap within the interval + the start delay', (name, interval) => {
    // GIVEN a stream with one tag, its CronJob as synthesized, runs starting up to 20 s late
    const { imports } = simulate({ [name]: interval }, 7);
    // THEN every run imports the tag: the gaps stay within interval ± delay, and a day holds 24 h / interval imports
    const ms = interval.toMilliseconds();
    const times = imports.get(name)!;
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(ms + MAX_START_DELAY);
    expect(Math.min(...gaps(times))).toBeGreaterThanOrEqual(ms - MAX_START_DELAY);
    expect(times.length).toBe(DAY / ms);
  });

  it('a stream with tags of 1 min, 15 min, 1 h and 6 h runs every minute and keeps each tag within its interval + the start delay', () => {
    // GIVEN the four tags in one stream (the CronJob fires every minute, for the shortest)
    for (const seed of [1, 2, 3]) {
      const { schedule, imports } = simulate(Object.fromEntries(cases), seed);
      expect(schedule).toBe('* * * * *');
      for (const [name, interval] of cases) {
        // THEN no gap is longer than the interval + the start delay, none shorter than the interval - a period
        const ms = interval.toMilliseconds();
        const times = imports.get(name)!;
        expect(Math.max(...gaps(times)), `${name}, seed ${seed}`).toBeLessThanOrEqual(ms + MAX_START_DELAY);
        expect(Math.min(...gaps(times)), `${name}, seed ${seed}`).toBeGreaterThan(ms - MINUTE);
        expect(times.length, `${name}, seed ${seed}`).toBeGreaterThanOrEqual(DAY / ms - 1);
      }
    }
  });

  it('a tag whose interval is not a multiple of the period imports at the last run before it would be late', () => {
    // GIVEN tags of 15 and 20 minutes (the CronJob fires every 15)
    const { imports } = simulate({ a: Duration.minutes(15), b: Duration.minutes(20) }, 5);
    // THEN b imports every run too, never 30 minutes apart
    expect(Math.max(...gaps(imports.get('b')!))).toBeLessThanOrEqual(20 * MINUTE);
  });
});
