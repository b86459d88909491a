import { createHash } from 'node:crypto';
import { cronPeriodSeconds } from '../../lib/api/import-schedule';

/**
 * A cron schedule that fires at least every `intervalSeconds`, offset by a stable hash of `key`
 * so that the streams of a cluster don't all import at the same minute. Cron can only express periods
 * that divide an hour or a day: the schedule uses the largest such period not above the interval
 * (cronPeriodSeconds, which the importer uses too to decide which tags are due at each run).
 */
export function importSchedule(intervalSeconds: number, key: string): string {
  const period = cronPeriodSeconds(intervalSeconds) / 60;
  const hash = createHash('sha256').update(key).digest().readUInt32BE(0);
  if (period < 60) return period === 1 ? '* * * * *' : `${hash % period}-59/${period} * * * *`;
  const hours = period / 60;
  const minute = hash % 60;
  const hour = Math.floor(hash / 60) % hours;
  return hours === 24 ? `${minute} ${hour} * * *` : `${minute} ${hour}-23/${hours} * * *`;
}
