import { createHash } from 'node:crypto';

/**
 * `${base}${suffix}` when it fits in `max` characters, else `base` shortened with a stable hash of
 * the whole name, so that long stream names still give valid, unique, deterministic object names.
 */
export function boundedName(base: string, suffix: string, max: number): string {
  const full = `${base}${suffix}`;
  if (full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const keep = max - suffix.length - hash.length - 1;
  return `${base.slice(0, keep).replace(/[-.]+$/, '')}-${hash}${suffix}`;
}
