/** How long ago `time` (RFC 3339) was, as kubectl prints ages: `45s`, `12m`, `5h`, `3d`; `<unknown>` without one. */
export function age(time: string | undefined, now: number): string {
  const then = time === undefined ? NaN : Date.parse(time);
  if (Number.isNaN(then)) return '<unknown>';
  return span(Math.max(0, now - then));
}

/** A span of milliseconds as its largest whole unit: `45s`, `12m`, `5h`, `3d`. */
export function span(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 120 * 60) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
