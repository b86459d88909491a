import type { Duration } from 'cdk8s';

/** A Duration as Go's time.Duration prints it, which Tekton's timeouts parse: 1h30m0s, 0h0m1.5s. */
export function goDuration(duration: Duration): string {
  const ms = duration.toMilliseconds();
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours}h${minutes}m${seconds}s`;
}
