import { createHash } from 'node:crypto';

/** Minute periods that divide an hour evenly, so that `o-59/p` fires every p minutes. */
const MINUTE_PERIODS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
/** Hour periods that divide a day evenly. */
const HOUR_PERIODS = [1, 2, 3, 4, 6, 8, 12, 24];

/**
 * A cron schedule that fires at least every `intervalSeconds`, offset by a stable hash of `key`
 * so that the streams of a cluster don't all import at the same minute. Cron can only express periods
 * that divide an hour or a day: the schedule uses the largest such period not above the interval,
 * and the importer skips tags whose own interval has not elapsed yet.
 */
export function importSchedule(intervalSeconds: number, key: string): string {
  const minutes = Math.max(1, Math.floor(intervalSeconds / 60));
  const hash = createHash('sha256').update(key).digest().readUInt32BE(0);
  if (minutes < 60) {
    const period = largestAtMost(MINUTE_PERIODS, minutes);
    return period === 1 ? '* * * * *' : `${hash % period}-59/${period} * * * *`;
  }
  const period = largestAtMost(HOUR_PERIODS, Math.floor(minutes / 60));
  const minute = hash % 60;
  const hour = Math.floor(hash / 60) % period;
  return period === 24 ? `${minute} ${hour} * * *` : `${minute} ${hour}-23/${period} * * *`;
}

function largestAtMost(periods: readonly number[], limit: number): number {
  return periods.filter((p) => p <= limit).pop() ?? periods[0];
}
