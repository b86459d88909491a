import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { RegistryError } from '../errors';
import type { RetryPolicy } from '../retry';
import type { RegistrySession } from './session';
import { discard, headerOf } from './stream-http';
import { failure, PASSING_REASONS } from './failure';
import { streamedBytes } from './young-garbage';

/** A blob as a manifest names it. */
export interface BlobDescriptor {
  readonly digest: string;
  readonly size: number;
  readonly mediaType?: string;
}

/** `present`: the target had it (HEAD); `mounted`: linked from another repository of the same registry; `copied`: streamed across. */
export type BlobOutcome = 'present' | 'mounted' | 'copied';

export interface CopyBlobOptions {
  /** A repository of the target's registry that has the blob (the source, when both are on one registry): mounted, not copied. */
  readonly mountFrom?: string;
  /** Tries of a transfer that fails for a passing reason (a cut connection, 5xx, a timeout), each starting with a HEAD. @default 3 */
  readonly attempts?: number;
  readonly retry: RetryPolicy;
}

/**
 * Copies one blob from `source` to `target` without holding it: a HEAD first (a blob the target has
 * costs nothing more, which is also how a copy resumes after a failure), a cross-repository mount
 * when the blob is on the same registry, else the source's GET piped into an upload (POST, PATCH
 * with the bytes as they arrive, PUT with the digest), hashed on the way: the upload is committed
 * only when the bytes hash to the digest and have the size the manifest says.
 */
export async function copyBlob(source: RegistrySession, target: RegistrySession, blob: BlobDescriptor, options: CopyBlobOptions): Promise<{ outcome: BlobOutcome; bytes: number }> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await copyOnce(source, target, blob, options.mountFrom);
    } catch (error) {
      if (!RegistryError.isRegistryError(error) || !PASSING_REASONS.has(error.reason) || attempt >= attempts) throw error;
      await options.retry.sleep(Math.min(options.retry.backoffMs * 2 ** (attempt - 1), options.retry.maxBackoffMs));
    }
  }
}

async function copyOnce(source: RegistrySession, target: RegistrySession, blob: BlobDescriptor, mountFrom?: string): Promise<{ outcome: BlobOutcome; bytes: number }> {
  if (await targetHas(target, blob)) return { outcome: 'present', bytes: 0 };
  const mount = mountFrom ? `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(mountFrom)}` : '';
  const started = await target.send('POST', `blobs/uploads/${mount}`);
  if (started.statusCode === 201 && mountFrom) return (await discard(started), { outcome: 'mounted', bytes: 0 });
  const location = await expectLocation(started, 202, `starting an upload of ${blob.digest} to ${target.repository}`);
  try {
    await upload(source, target, blob, location);
  } catch (error) {
    // The registry purges abandoned uploads itself; cancelling frees the space now.
    await target.send('DELETE', location).then(discard, () => undefined);
    throw error;
  }
  return { outcome: 'copied', bytes: blob.size };
}

async function upload(source: RegistrySession, target: RegistrySession, blob: BlobDescriptor, location: string): Promise<void> {
  const body = await source.send('GET', `blobs/${blob.digest}`, { followRedirects: true });
  if (body.statusCode !== 200) throw await failure(body, `GET ${source.registry}/${source.repository} blob ${blob.digest}`);
  const hashing = new HashingStream(blob.digest);
  body.on('error', (err) => hashing.destroy(err));
  const patched = await target.send('PATCH', location, { body: body.pipe(hashing), headers: { 'content-type': 'application/octet-stream' } });
  const next = await expectLocation(patched, 202, `uploading ${blob.digest} to ${target.repository}`);
  const { digest, size } = await hashing.result;
  if (size < blob.size) {
    // The source's answer ended early without an error: a cut transfer, worth another try.
    throw new RegistryError('ConnectionReset', `blob ${blob.digest} of ${source.registry}/${source.repository} ended after ${size} of ${blob.size} bytes: not committed to ${target.repository}`);
  }
  if (digest !== blob.digest || size !== blob.size) {
    throw new RegistryError('DigestMismatch', `blob ${blob.digest} of ${source.registry}/${source.repository} arrived as ${size} bytes hashing to ${digest} (the manifest says ${blob.size} bytes): not committed to ${target.repository}`);
  }
  const committed = await target.send('PUT', withDigest(next, blob.digest));
  if (committed.statusCode !== 201) throw await failure(committed, `committing ${blob.digest} to ${target.repository}`);
  const stored = headerOf(committed, 'docker-content-digest');
  await discard(committed);
  if (stored !== undefined && stored !== blob.digest) throw new RegistryError('DigestMismatch', `${target.repository} stored ${blob.digest} as ${stored}`);
}

async function targetHas(target: RegistrySession, blob: BlobDescriptor): Promise<boolean> {
  const res = await target.send('HEAD', `blobs/${blob.digest}`);
  await discard(res);
  if (res.statusCode === 404) return false;
  if (res.statusCode === 200) return true;
  throw await failure(res, `HEAD ${target.repository} blob ${blob.digest}`);
}

async function expectLocation(res: IncomingMessage, status: number, what: string): Promise<string> {
  const location = headerOf(res, 'location');
  if (res.statusCode !== status || !location) throw await failure(res, what);
  await discard(res);
  return location;
}

/** The upload's Location with `digest=` added to the query the registry put there (its upload state). */
function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** Passes bytes through, hashing and counting them; `result` once the last byte went by. */
class HashingStream extends Transform {
  readonly result: Promise<{ digest: string; size: number }>;
  private readonly algorithm: 'sha256' | 'sha512';
  private readonly hash;
  private size = 0;
  private settle!: (value: { digest: string; size: number }) => void;

  constructor(like: string) {
    super();
    this.algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
    this.hash = createHash(this.algorithm);
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    streamedBytes(chunk.length);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.settle({ digest: `${this.algorithm}:${this.hash.digest('hex')}`, size: this.size });
    done();
  }
}
