/** Seconds as a short duration: 900 → '15m', 5400 → '1h30m', 45 → '45s'. */
export function shortDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

/** A Go duration ('5m0s', '1h0m0s') without its zero parts: '5m', '1h'. */
export function trimGoDuration(text: string): string {
  const trimmed = text.replace(/(^|[a-z])0s$/, '$1').replace(/(\d+h)0m/, '$1');
  return trimmed || text;
}
