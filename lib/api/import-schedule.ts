import { DEFAULT_IMPORT_INTERVAL_SECONDS, type TagSpec } from './imagestream';

/**
 * When scheduled imports run, shared by the import CronJob (which fires at a period cron can express)
 * and the importer (which decides at each run which tags are due), so that the two agree.
 */

/** Minute periods that divide an hour evenly, so that `o-59/p` fires every p minutes. */
export const MINUTE_PERIODS: readonly number[] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
/** Hour periods that divide a day evenly. */
export const HOUR_PERIODS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 24];

/** A stream with no scheduled tag: its CronJob (if any) fires daily. */
const NOTHING_SCHEDULED_SECONDS = DEFAULT_IMPORT_INTERVAL_SECONDS * 96;
/** The most a run may start late (Job creation, pod start, image pull) and still count as on time. */
const MAX_START_TOLERANCE_SECONDS = 5 * 60;

/**
 * The shortest interval of the scheduled tags: what the stream's CronJob must keep up with. Paused
 * tags count (a rollback pauses a tag at run time; the CronJob was made with it).
 */
export function shortestScheduledInterval(tags: readonly TagSpec[]): number {
  const intervals = tags
    .filter((t) => t.importPolicy?.scheduled && !t.reference)
    .map((t) => t.importPolicy?.intervalSeconds ?? DEFAULT_IMPORT_INTERVAL_SECONDS);
  return Math.min(...intervals, NOTHING_SCHEDULED_SECONDS);
}

/**
 * Seconds between two runs of a CronJob that must fire at least every `intervalSeconds`: the largest
 * period not above it that cron can express (a divisor of an hour, or of a day).
 */
export function cronPeriodSeconds(intervalSeconds: number): number {
  const minutes = Math.max(1, Math.floor(intervalSeconds / 60));
  if (minutes < 60) return largestAtMost(MINUTE_PERIODS, minutes) * 60;
  return largestAtMost(HOUR_PERIODS, Math.floor(minutes / 60)) * 3600;
}

/** How late a run may start and still count as on time: half a period, at most 5 minutes. */
export function startToleranceSeconds(periodSeconds: number): number {
  return Math.min(periodSeconds / 2, MAX_START_TOLERANCE_SECONDS);
}

/**
 * Whether a tag imported last at `lastAttempt` (epoch ms; NaN: never) is due at `now`, on a CronJob
 * that fires every `periodSeconds`. Due when waiting for the next run would overshoot the interval
 * by more than a late start: `elapsed + period > interval + tolerance`. So a tag whose interval is the
 * period imports on every run even when the runs start a few seconds apart differently (an exact
 * `elapsed >= interval` skipped every other run: 15 minutes became 30), and a tag whose interval is
 * not a multiple of the period imports at the last run before it would be late.
 */
export function isImportDue(lastAttempt: number, intervalSeconds: number, periodSeconds: number, now: number): boolean {
  if (Number.isNaN(lastAttempt)) return true;
  const elapsed = (now - lastAttempt) / 1000;
  return elapsed + periodSeconds > intervalSeconds + startToleranceSeconds(periodSeconds);
}

function largestAtMost(periods: readonly number[], limit: number): number {
  return periods.filter((p) => p <= limit).pop() ?? periods[0];
}
