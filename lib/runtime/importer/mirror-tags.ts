import { MIRROR_FAILED_REASON, mirrorProblem, mirrorsOnImport, mirrorTarget, type MirrorTarget } from '../../api/mirror';
import type { ImageStreamSpec } from '../../api/imagestream';
import { parseReference, type ImageReference } from '../../api/image-reference';
import type { DockerConfig } from '../registry/auth';
import { copyImage, type CopyReport } from '../registry/copy/copy-image';
import { RegistrySession } from '../registry/copy/session';
import { RegistryError } from '../registry/errors';
import { clientSettings, type ResolveOptions } from '../registry/options';
import type { MirrorCopy, TagImported, TagImportResult } from '../imagestreams/results';
import type { ImportableTag } from './select-tags';

export interface MirrorTagsOptions {
  /** The stream's spec: its registry (imageRepository) and which tags mirror. */
  readonly spec: ImageStreamSpec;
  /** The stream's pull secrets: credentials for the source and for the stream's registry. */
  readonly dockerConfig?: DockerConfig;
  /** Shared registry options (timeouts, retries, the auth cache). */
  readonly registry?: ResolveOptions;
  /** Images copied at once. @default 8 */
  readonly concurrency?: number;
  /** Blobs of one image copied at once. @default 4 */
  readonly blobConcurrency?: number;
}

/**
 * Copies the image of each imported tag that mirrors (referencePolicy Local) into the stream's
 * registry, before anything is recorded: a tag whose copy fails becomes a failed result (MirrorFailed,
 * with the registry's reason as `cause`), so its history keeps the last image that was copied. A copy
 * is cheap when nothing is new: a HEAD of the manifest in the stream's registry.
 */
export async function mirrorTags(tags: readonly ImportableTag[], results: readonly TagImportResult[], options: MirrorTagsOptions): Promise<TagImportResult[]> {
  const out = [...results];
  const pending = results.map((result, i) => ({ result, i })).filter(({ result, i }) => result.ok && mirrorsOnImport(tags[i]));
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) out[next.i] = await mirrorOne(tags[next.i], next.result as TagImported, options);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, pending.length) }, worker));
  return out;
}

async function mirrorOne(tag: ImportableTag, result: TagImported, options: MirrorTagsOptions): Promise<TagImportResult> {
  const target = mirrorTarget(options.spec);
  if (!target) return failed(result, 'InvalidMirror', mirrorProblem(options.spec, tag) ?? 'the stream has no registry');
  const source = parseReference(result.dockerImageReference);
  try {
    const report = await copyInto(source, target, result.image, tag.importPolicy?.insecure ?? false, options);
    return { ...result, mirror: { reference: `${target.repository}@${result.image}`, ...counts(report) } };
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    return failed(result, error.reason, `copying ${result.dockerImageReference} into ${target.repository}: ${error.message}`);
  }
}

/** One image from its source into the stream's repository, with each side's credentials and transport. */
export async function copyInto(source: ImageReference, target: MirrorTarget, digest: string, sourceInsecure: boolean, options: Omit<MirrorTagsOptions, 'spec' | 'concurrency'>): Promise<CopyReport> {
  const to = targetReference(target);
  const shared = { ...options.registry, ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}) };
  const sourceSettings = clientSettings(source, { ...shared, insecure: sourceInsecure });
  const targetSettings = clientSettings(to, { ...shared, insecure: target.insecure });
  const sameRegistry = source.registry === to.registry;
  const from = new RegistrySession({ registry: source.registry, repository: source.repository, actions: 'pull', settings: sourceSettings });
  const into = new RegistrySession({
    registry: to.registry, repository: to.repository, actions: 'pull,push', settings: targetSettings,
    ...(sameRegistry && source.repository !== to.repository ? { alsoPull: [source.repository] } : {}),
  });
  return copyImage(from, into, digest, { retry: targetSettings.retry, concurrency: options.blobConcurrency });
}

function targetReference(target: MirrorTarget): ImageReference {
  try {
    return parseReference(target.repository);
  } catch (error) {
    throw new RegistryError('InvalidReference', `the stream's imageRepository ${JSON.stringify(target.repository)} is not a repository: ${(error as Error).message}`);
  }
}

function counts(report: CopyReport): Omit<MirrorCopy, 'reference'> {
  return { blobsCopied: report.blobs.copied, blobsMounted: report.blobs.mounted, blobsPresent: report.blobs.present, bytes: report.bytes };
}

function failed(result: TagImported, cause: string, message: string): TagImportResult {
  return { tag: result.tag, from: result.from, ok: false, reason: MIRROR_FAILED_REASON, cause, message };
}
