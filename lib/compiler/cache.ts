import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from './bundle';

/** What the cache stores for one entry: the bundle and the content hash of each of its inputs. */
interface CacheRecord {
  readonly salt: string;
  readonly entry: string;
  readonly inputs: Record<string, string>;
  readonly code: string;
}

/** Where compiled entries are kept: IMAGESTREAMS_CACHE_DIR, else the XDG cache directory. */
export function defaultCacheDir(): string {
  const env = process.env.IMAGESTREAMS_CACHE_DIR;
  if (env) return env;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'imagestreams', 'bundles');
}

/**
 * A cache of compiled entries keyed by the content of every file esbuild read for them, so that an
 * unchanged config skips esbuild entirely, and a change in any imported file recompiles.
 */
export class BundleCache {
  constructor(
    private readonly dir: string,
    /** Invalidates everything when the compiler or esbuild changes. */
    private readonly salt: string,
  ) {}

  /** The cached bundle when every input still has the content it was compiled from. */
  lookup(entry: string): Bundle | undefined {
    const record = this.read(entry);
    if (!record || record.salt !== this.salt || record.entry !== entry) return undefined;
    for (const [file, hash] of Object.entries(record.inputs)) {
      if (hashFile(file) !== hash) return undefined;
    }
    return { code: record.code, inputs: Object.keys(record.inputs) };
  }

  store(entry: string, bundle: Bundle): void {
    const inputs: Record<string, string> = {};
    for (const file of bundle.inputs) {
      const hash = hashFile(file);
      if (hash === undefined) return; // an input vanished while compiling: don't cache a guess
      inputs[file] = hash;
    }
    const record: CacheRecord = { salt: this.salt, entry, inputs, code: bundle.code };
    mkdirSync(this.dir, { recursive: true });
    // Write then rename, so a concurrent synth never reads half a record.
    const path = this.pathFor(entry);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, path);
  }

  private read(entry: string): CacheRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.pathFor(entry), 'utf8')) as CacheRecord;
    } catch {
      return undefined;
    }
  }

  private pathFor(entry: string): string {
    return join(this.dir, `${sha256(entry).slice(0, 32)}.json`);
  }
}

function hashFile(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
