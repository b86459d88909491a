import type { KubeClient } from '../kube/client';
import type { ResolveOptions } from '../registry/options';
import { mergeImportResults } from '../imagestreams/merge-status';
import { loadPullSecrets } from '../registry/pull-secrets';
import { mirrorTags } from './mirror-tags';
import { resolveTags } from './resolve-tags';
import type { TagImportResult } from '../imagestreams/results';
import { tagsToImport } from './select-tags';
import { imageStreams, type StreamObject } from '../imagestreams/streams';
import type { ResourceClient } from '../kube/client';
import { isStreamImageTag, recordStreamImages } from './stream-image-tags';
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
}

export interface ImportReport {
  /** One per selected tag, in spec order. */
  readonly results: readonly TagImportResult[];
  /** Tags that got a new newest item. */
  readonly moved: readonly string[];
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
  if (tags.length === 0 && pins.length === 0) return { results: [], moved: [], warnings: [], object: stream };
  const pinned = await recordStreamImages(pins, options.namespace, (ns, name) => readStream(imageStreams(kube, ns), name));
  if (tags.length === 0) return finish(streams, options, now, pinned, []);
  const secretNames = (stream.spec.pullSecrets ?? []).map((s) => s.name);
  const { dockerConfig, warnings } = await loadPullSecrets(kube, options.namespace, secretNames);
  const resolved = await resolveTags(tags, { concurrency: options.concurrency, dockerConfig, registry: options.registry, status: stream.status?.tags });
  // Tags with referencePolicy Local: their image is in the stream's registry before it is recorded.
  const results = await mirrorTags(tags, resolved, { spec: stream.spec, dockerConfig, registry: options.registry, concurrency: options.concurrency });
  const order = new Map((stream.spec.tags ?? []).map((t, i) => [t.name, i]));
  return finish(streams, options, now, [...results, ...pinned].sort((a, b) => order.get(a.tag)! - order.get(b.tag)!), warnings);
}

async function finish(streams: ResourceClient<StreamObject>, options: ImportStreamOptions, now: Date, results: TagImportResult[], warnings: readonly string[]): Promise<ImportReport> {
  const at = now.toISOString();
  const written = await writeStatus(streams, options.stream, (fresh) => mergeImportResults(fresh, results, at), options.statusWrite);
  return { results, moved: written.computed.moved, warnings, object: written.object };
}

/** 0 when every selected tag imported, else 1. */
export function importExitCode(report: ImportReport): number {
  return report.results.every((r) => r.ok) ? 0 : 1;
}
