import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes streamed between two collections of the young generation. */
const EVERY_BYTES = 8 * 1024 * 1024;

let streamed = 0;
let collect: ((options: { type: 'minor' }) => void) | undefined | null;

/**
 * Counts bytes a copy streamed, and collects the young generation every 8 MiB. Each socket read is a
 * fresh 64 KiB buffer that is garbage as soon as it was written on; V8 frees such buffers only when
 * it collects, and left to itself lets tens of MB pile up first (the copy's RSS then doubles). A
 * scavenge of a young generation that holds little else takes well under a millisecond. The
 * collector is reached the way test runners reach it (the flag that exposes it, set at run time);
 * where that fails, V8 keeps its own schedule.
 */
export function streamedBytes(bytes: number): void {
  streamed += bytes;
  if (streamed < EVERY_BYTES) return;
  streamed = 0;
  if (collect === undefined) collect = exposedCollector();
  collect?.({ type: 'minor' });
}

function exposedCollector(): ((options: { type: 'minor' }) => void) | null {
  try {
    const existing = (globalThis as { gc?: unknown }).gc;
    if (typeof existing === 'function') return existing as (options: { type: 'minor' }) => void;
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as (options: { type: 'minor' }) => void) : null;
  } catch {
    return null;
  }
}
