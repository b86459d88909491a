import { RegistryError } from '../errors';
import { checkManifest, digestOf, indexEntries, isIndex, MANIFEST_ACCEPT } from '../manifest';
import type { RetryPolicy } from '../retry';
import { isValidDigest } from '../../../api/image-reference';
import { copyBlob, type BlobDescriptor, type BlobOutcome } from './copy-blob';
import { failure } from './failure';
import type { RegistrySession } from './session';
import { discard, headerOf, readBody } from './stream-http';

export interface CopyImageOptions {
  /** Blobs of one image manifest copied at once. @default 4 */
  readonly concurrency?: number;
  readonly retry: RetryPolicy;
}

/** What one copy did: manifests and blobs the target had, mounted or was sent, and the bytes sent. */
export interface CopyReport {
  readonly digest: string;
  readonly manifests: { present: number; copied: number };
  readonly blobs: Record<BlobOutcome, number>;
  readonly bytes: number;
}

/** An index names manifests, which may be indexes; deeper than this is refused, not followed. */
const MAX_DEPTH = 3;
/** Layers that registries never serve (Windows base layers): the manifest names their URLs instead. */
const FOREIGN_LAYER = /\.foreign\.diff\./;

/**
 * Copies the manifest `digest` (and, for an index, every manifest it names) with its blobs from
 * `source` into `target`, committing each manifest only once everything it names is in the target:
 * a failure leaves no manifest naming a missing blob, and a copy that is run again skips what the
 * target has (a HEAD per blob and manifest). Each manifest is fetched by digest and hashed before it
 * is sent, and the target must store it under that same digest.
 */
export async function copyImage(source: RegistrySession, target: RegistrySession, digest: string, options: CopyImageOptions): Promise<CopyReport> {
  const report = { digest, manifests: { present: 0, copied: 0 }, blobs: { present: 0, mounted: 0, copied: 0 }, bytes: 0 };
  const mountFrom = source.registry === target.registry && source.repository !== target.repository ? source.repository : undefined;
  await copyManifest({ source, target, options, report, mountFrom }, digest, 0);
  return report;
}

interface Copy {
  readonly source: RegistrySession;
  readonly target: RegistrySession;
  readonly options: CopyImageOptions;
  readonly report: { manifests: { present: number; copied: number }; blobs: Record<BlobOutcome, number>; bytes: number };
  readonly mountFrom?: string;
}

async function copyManifest(copy: Copy, digest: string, depth: number): Promise<void> {
  if (await targetHasManifest(copy.target, digest)) return void copy.report.manifests.present++;
  const { body, mediaType } = await fetchManifest(copy.source, digest);
  if (isIndex(mediaType)) {
    if (depth >= MAX_DEPTH) throw new RegistryError('InvalidResponse', `${copy.source.registry}/${copy.source.repository}@${digest} nests manifest lists deeper than ${MAX_DEPTH}`);
    for (const entry of indexEntries(body)) await copyManifest(copy, checkDigest(entry.digest, digest), depth + 1);
  } else {
    await forEachLimit(blobsOf(body), copy.options.concurrency ?? 4, async (blob) => {
      const { outcome, bytes } = await copyBlob(copy.source, copy.target, blob, { mountFrom: copy.mountFrom, retry: copy.options.retry });
      copy.report.blobs[outcome]++;
      copy.report.bytes += bytes;
    });
  }
  await putManifest(copy.target, digest, mediaType, body);
  copy.report.manifests.copied++;
}

async function targetHasManifest(target: RegistrySession, digest: string): Promise<boolean> {
  const res = await target.send('HEAD', `manifests/${digest}`, { headers: { accept: MANIFEST_ACCEPT } });
  await discard(res);
  if (res.statusCode === 404) return false;
  if (res.statusCode === 200) return (headerOf(res, 'docker-content-digest') ?? digest) === digest;
  throw await failure(res, `HEAD ${target.registry}/${target.repository} manifest ${digest}`);
}

/** GET by digest, hashed: the bytes must be the digest's, and a manifest or index. */
async function fetchManifest(source: RegistrySession, digest: string): Promise<{ body: Buffer; mediaType: string }> {
  const what = `${source.registry}/${source.repository}@${digest}`;
  const res = await source.send('GET', `manifests/${digest}`, { headers: { accept: MANIFEST_ACCEPT } });
  if (res.statusCode !== 200) throw await failure(res, `GET ${what}`);
  const body = await readBody(res);
  const actual = digestOf(body, digest);
  if (actual !== digest) throw new RegistryError('DigestMismatch', `the manifest served for ${what} hashes to ${actual}`);
  const type = headerOf(res, 'content-type')?.split(';')[0].trim() || undefined;
  try {
    return { body, mediaType: checkManifest(body, type) };
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    throw new RegistryError('InvalidResponse', `${what}: ${error.message}`);
  }
}

/** PUT by digest, with the exact bytes fetched: the target must name the same digest. */
async function putManifest(target: RegistrySession, digest: string, mediaType: string, body: Buffer): Promise<void> {
  const what = `${target.registry}/${target.repository}@${digest}`;
  const res = await target.send('PUT', `manifests/${digest}`, { body, headers: { 'content-type': mediaType } });
  if (res.statusCode !== 201) throw await failure(res, `PUT ${what}`);
  const stored = headerOf(res, 'docker-content-digest');
  await discard(res);
  if (stored !== undefined && stored !== digest) throw new RegistryError('DigestMismatch', `${target.registry}/${target.repository} stored the manifest ${digest} as ${stored}`);
}

/** The config and the layers of an image manifest, each once; foreign layers (never served) left out. */
function blobsOf(body: Buffer): BlobDescriptor[] {
  const parsed = JSON.parse(body.toString('utf8')) as { config: BlobDescriptor; layers: BlobDescriptor[] };
  const all = [parsed.config, ...parsed.layers].filter((b) => !FOREIGN_LAYER.test(b.mediaType ?? ''));
  const seen = new Set<string>();
  return all.filter((b) => {
    if (typeof b?.size !== 'number') throw new RegistryError('InvalidResponse', `the manifest names a blob without a size: ${JSON.stringify(b)}`);
    checkDigest(b.digest, 'the manifest');
    return !seen.has(b.digest) && seen.add(b.digest);
  });
}

async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      try {
        await work(items[next++]);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/** A digest a manifest names goes into URLs: it must be one (not a path). */
function checkDigest(value: unknown, where: string): string {
  if (typeof value === 'string' && isValidDigest(value)) return value;
  throw new RegistryError('InvalidResponse', `${where} names ${JSON.stringify(value)}, which is not a digest`);
}
