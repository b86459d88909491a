import type { KubeClient } from '../kube/client';
import type { ResolveOptions } from '../registry/options';
import { mergeImportResults, type MergedStatus } from '../imagestreams/merge-status';
import { loadPullSecrets } from '../registry/pull-secrets';
import { mirrorTags } from './mirror-tags';
import { resolveTags } from './resolve-tags';
import type { TagImportResult } from '../imagestreams/results';
import { tagsToImport } from './select-tags';
import { imageStreams, type StreamObject } from '../imagestreams/streams';
import { isStreamImageTag, recordStreamImages } from './stream-image-tags';
import { importRepository, type RepositoryImport } from './import-repository';
import { readStream, writeStatus, type StatusWriteOptions } from '../imagestreams/write-status';

export interface ImportStreamOptions {
  readonly namespace: string;
  readonly stream: string;
  /** Only scheduled tags that are due (the CronJob); else every importable tag. @default false */
  readonly scheduled?: boolean;
  /** Only these tags (of those selected): the controller's import of new and changed tags. @default - all selected */
  readonly tags?: readonly string[];
  /** Registry resolutions in flight at once. @default 8 */
  readonly concurrency?: number;
  /** @default - the system clock */
  readonly now?: () => Date;
  /** Shared registry client options (timeouts, retries); per-tag policy wins. */
  readonly registry?: ResolveOptions;
  readonly statusWrite?: StatusWriteOptions;
  /**
   * Import spec.dockerImageRepository's tags too (lib/api/repository-import.ts). @default - when the
   * stream has one and the import is neither scheduled nor limited to `tags` (import-image)
   */
  readonly repository?: boolean;
}

export interface ImportReport {
  /** One per selected tag, in spec order. */
  readonly results: readonly TagImportResult[];
  /** Tags that got a new newest item. */
  readonly moved: readonly string[];
  /** What the import of spec.dockerImageRepository came to, when there was one. */
  readonly repository?: RepositoryImport['outcome'];
  /** Pull secrets that could not be used. */
  readonly warnings: readonly string[];
  /** The stream as written (or as read, when no tag was selected). */
  readonly object: StreamObject;
}

/** Imports a stream's tags and records them in its status. Throws StreamNotFoundError when it's missing. */
export async function importStream(kube: KubeClient, options: ImportStreamOptions): Promise<ImportReport> {
  const streams = imageStreams(kube, options.namespace);
  const now = (options.now ?? (() => new Date()))();
  const stream = await readStream(streams, options.stream);
  const only = options.tags && new Set(options.tags);
  const tags = tagsToImport(stream, { scheduled: options.scheduled, now: now.getTime() }).filter((t) => !only || only.has(t.name));
  // Tags from an ImageStreamImage are recorded when asked for (a spec change), never on a schedule.
  const pins = options.scheduled ? [] : (stream.spec.tags ?? []).filter(isStreamImageTag).filter((t) => !only || only.has(t.name));
  const repository = !!stream.spec.dockerImageRepository && (options.repository ?? (!options.scheduled && !only));
  if (tags.length === 0 && pins.length === 0 && !repository) return { results: [], moved: [], warnings: [], object: stream };
  const pinned = await recordStreamImages(pins, options.namespace, (ns, name) => readStream(imageStreams(kube, ns), name));
  const secretNames = (stream.spec.pullSecrets ?? []).map((s) => s.name);
  const { dockerConfig, warnings } = tags.length > 0 || repository ? await loadPullSecrets(kube, options.namespace, secretNames) : { dockerConfig: undefined, warnings: [] };
  const resolved = await resolveTags(tags, { concurrency: options.concurrency, dockerConfig, registry: options.registry, status: stream.status?.tags });
  // Tags with referencePolicy Local: their image is in the stream's registry before it is recorded.
  const results = await mirrorTags(tags, resolved, { spec: stream.spec, dockerConfig, registry: options.registry, concurrency: options.concurrency });
  const order = new Map((stream.spec.tags ?? []).map((t, i) => [t.name, i]));
  const own = [...results, ...pinned].sort((a, b) => order.get(a.tag)! - order.get(b.tag)!);
  const fromRepository = repository ? await importRepository(stream, { dockerConfig, registry: options.registry, concurrency: options.concurrency }) : undefined;
  const all = [...own, ...(fromRepository?.results ?? [])];
  const at = now.toISOString();
  const written = await writeStatus(streams, options.stream, (fresh) => withRepositoryImport(fresh, mergeImportResults(fresh, all, at), fromRepository, stream.metadata.generation, at), options.statusWrite);
  return { results: all, moved: written.computed.moved, warnings, object: written.object, ...(fromRepository ? { repository: fromRepository.outcome } : {}) };
}

/**
 * The merged status with status.repositoryImport recording the repository's import as of the
 * generation read before it (a spec changed meanwhile makes it due again), unless the stream names
 * another repository by now.
 */
function withRepositoryImport(fresh: StreamObject, merged: MergedStatus, imported: RepositoryImport | undefined, generation: number | undefined, at: string): MergedStatus {
  if (!imported || fresh.spec.dockerImageRepository !== imported.outcome.repository) return merged;
  return { ...merged, status: { ...merged.status, repositoryImport: { ...imported.outcome, generation, lastImportAttempt: at } } };
}

/** 0 when every selected tag (and the stream's repository, when imported) imported, else 1. */
export function importExitCode(report: ImportReport): number {
  return report.results.every((r) => r.ok) && report.repository?.status !== 'False' ? 0 : 1;
}
