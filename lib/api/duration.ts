/**
 * Durations as the Kubernetes world writes them: Go's `time.Duration` text (Tekton timeouts, our
 * git-poll intervals) and short labels for people.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds as Go's `time.Duration.String()` prints them: `45s`, `5m0s`, `1h30m0s`, `1.5s`,
 * `250ms`, `0s` — byte for byte, so that what we write reads back the same in Tekton and kubectl.
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`a duration must be a finite, non-negative number of milliseconds (got ${ms})`);
  if (ms === 0) return '0s';
  if (ms < 1000) return `${decimal(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${decimal((ms % 60_000) / 1000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** Parses Go's duration text (`1h30m`, `5m0s`, `1.5s`, `300ms`) into milliseconds; throws on anything else. */
export function parseGoDuration(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : null;
  if (!parts) {
    if (text === '0') return 0;
    throw new Error(`'${text}' is not a duration: write it as Go does, e.g. 90s, 5m or 1h30m`);
  }
  return parts.reduce((sum, part) => {
    const [, value, unit] = /^([\d.]+)(.+)$/.exec(part)!;
    return sum + Number(value) * UNIT_MS[unit];
  }, 0);
}

/** Seconds as a short label without zero parts: 900 → `15m`, 5400 → `1h30m`, 45 → `45s`, 0 → `0s`. */
export function shortDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${decimal(s)}s` : ''}`;
  return text || '0s';
}

/** Up to 9 decimals, without trailing zeros (Go prints the shortest exact form). */
function decimal(value: number): string {
  return String(Number(value.toFixed(9)));
}
