import type { ImageStreamObject } from '../../api/imagestream';
import { storedReference } from '../../api/mirror';
import { parseReference } from '../../api/image-reference';
import type { RegistryApi } from './registry-api';

export interface RepositoryUsage {
  readonly repository: string;
  readonly tags: number;
  readonly manifests: number;
  /** Its manifests and the blobs they name, each blob once (blobs shared with other repositories count here too). */
  readonly bytes: number;
}

export interface RegistryUsage {
  readonly repositories: readonly RepositoryUsage[];
  readonly manifests: number;
  readonly blobs: number;
  /** Every blob once across the registry, as it is stored: what the manifests found reference. */
  readonly bytes: number;
}

/**
 * What the registry holds, through its API: every repository of the catalog, the manifests its tags
 * and the streams' history items name (and those an index lists), and their blobs' sizes. Blobs of
 * deleted manifests not yet garbage-collected, and manifests no tag or history item names, can't
 * be seen through the API and are not counted.
 */
export async function registryUsage(api: RegistryApi, streams: readonly ImageStreamObject[]): Promise<RegistryUsage> {
  const recorded = recordedDigests(streams);
  const sizes = new Map<string, number>();
  const rows: RepositoryUsage[] = [];
  let manifests = 0;
  for (const repository of (await api.repositories()).sort()) {
    const tags = await api.tags(repository);
    const digests = new Set(recorded.get(repository) ?? []);
    for (const tag of tags) {
      const digest = await api.resolve(repository, tag);
      if (digest) digests.add(digest);
    }
    const blobs = new Map<string, number>();
    let found = 0;
    const queue = [...digests];
    for (let i = 0; i < queue.length; i++) {
      const manifest = await api.manifest(repository, queue[i]);
      if (!manifest) continue;
      found++;
      blobs.set(queue[i], manifest.size);
      for (const blob of manifest.blobs) blobs.set(blob.digest, blob.size);
      for (const child of manifest.children.filter((c) => !digests.has(c))) digests.add(child), queue.push(child);
    }
    for (const [digest, size] of blobs) sizes.set(digest, size);
    manifests += found;
    rows.push({ repository, tags: tags.length, manifests: found, bytes: sum(blobs.values()) });
  }
  return { repositories: rows, manifests, blobs: sizes.size, bytes: sum(sizes.values()) };
}

/** Repository path → the digests history items record there (any host: the path is what the registry knows). */
function recordedDigests(streams: readonly ImageStreamObject[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  // A mirrored tag's items name the source: its copies are in the stream's repository (storedReference).
  for (const [item, reference] of streams.flatMap((s) => (s.status?.tags ?? []).flatMap((t) => (t.items ?? []).map((i) => [i, storedReference(s.spec, t.tag, i)] as const)))) {
    let repository: string;
    try {
      repository = parseReference(reference).repository;
    } catch {
      continue;
    }
    map.set(repository, [...(map.get(repository) ?? []), item.image]);
  }
  return map;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
