/** How full the registry's storage is, as the GC's Events and `imagestreams registry usage` both say it. */

/** Percent of the volume in use, rounded down (never 100 while any byte is free). */
export function usedPercent(usage: { readonly usedBytes: number; readonly availableBytes: number }): number {
  const total = usage.usedBytes + usage.availableBytes;
  return total === 0 ? 0 : Math.floor((usage.usedBytes * 100) / total);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in the largest binary unit that keeps a number of at least 1, one decimal: `1.5 GiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** What formatBytes printed, back as bytes (to the precision printed); undefined when it isn't such text. */
export function parseBytes(text: string): number | undefined {
  const match = /^([\d.]+) (B|KiB|MiB|GiB|TiB)$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * 1024 ** UNITS.indexOf(match[2])) : undefined;
}

/** A Kubernetes quantity of bytes (`20Gi`, `500M`, `1073741824`) as a number; undefined when it isn't one. */
export function quantityBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity.trim());
  if (!match) return undefined;
  const factor: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
  return Math.round(Number(match[1]) * factor[match[2] ?? '']);
}

/** The GarbageCollected Event's message, with how full `df` found the volume when it could. */
export function garbageCollectedMessage(usage?: { readonly usedBytes: number; readonly availableBytes: number }): string {
  const storage = usage ? `; its volume: ${formatBytes(usage.usedBytes)} used, ${formatBytes(usage.availableBytes)} free (${usedPercent(usage)}% full)` : '';
  return `the registry garbage-collected its blobs while read-only, and serves again${storage}`;
}

/** The volume's use a GarbageCollected message tells (to the precision printed). */
export function usageInMessage(message: string): { usedBytes: number; availableBytes: number } | undefined {
  const match = /its volume: ([\d.]+ \w+) used, ([\d.]+ \w+) free/.exec(message);
  const used = match ? parseBytes(match[1]) : undefined;
  const available = match ? parseBytes(match[2]) : undefined;
  return used !== undefined && available !== undefined ? { usedBytes: used, availableBytes: available } : undefined;
}
