import type { ImageStreamObject } from '../../api/imagestream';
import { storedReference } from '../../api/mirror';
import { parseReference, type ImageReference } from '../../api/image-reference';
import { keepsHistoryItem, manifestKey, type ImageKeepPolicy } from '../../api/prune';
import type { ManifestInfo, RegistryApi } from './registry-api';
import type { WorkloadImage } from './workload-images';

export interface ImagePruneInput {
  /** Every ImageStream of the cluster: any of them may hold a reference into the registry. */
  readonly streams: readonly ImageStreamObject[];
  readonly workloads: readonly WorkloadImage[];
  /** The host streams name the registry by (their spec.imageRepository): `imagestreams-registry.<ns>.svc:5000`. */
  readonly registryHost: string;
  readonly policy: ImageKeepPolicy;
  readonly registry: RegistryApi;
}

export interface PruneCandidate {
  readonly repository: string;
  readonly digest: string;
  /** Why it may go: `team/app:latest revision 4, recorded …`, or the index it belongs to. */
  readonly reason: string;
}

export interface ImagePrunePlan {
  /** Manifests to delete, indexes before the manifests they list; sorted otherwise. */
  readonly deletions: readonly PruneCandidate[];
  /** The stream repositories of the registry that were looked at. */
  readonly repositories: readonly string[];
  /** How many manifests of those repositories are kept. */
  readonly kept: number;
}

/**
 * Which manifests of the registry's stream repositories no one needs any more (`oc adm prune images`):
 * those of history items beyond the newest `keepTagRevisions` of their tag and older than
 * `keepYoungerThanMs`, unless another reference keeps them — a history item within those limits in
 * any stream, an image of any workload (by digest, or by tag as the registry resolves it now), or a
 * tag of the registry (a build's push not recorded yet is tagged; its age is unknown, so it stays).
 * An index that goes takes the manifests it lists with it, unless they are kept otherwise.
 */
export async function planImagePrune(input: ImagePruneInput): Promise<ImagePrunePlan> {
  const { registry, registryHost } = input;
  const repositories = streamRepositories(input.streams, registryHost);
  const managed = (ref: ImageReference) => repositories.has(ref.repository);
  const ours = new Set([registryHost, registry.host, ...publicHosts(input.streams, repositories)]);
  const keep = new Map<string, string>();
  const candidates = new Map<string, PruneCandidate>();

  for (const { ref, digest, index, item, where } of historyItems(input.streams)) {
    if (!managed(ref)) continue;
    const key = manifestKey(ref.repository, digest);
    const revision = `${where} revision ${index + 1}`;
    if (keepsHistoryItem(item, index, input.policy)) keep.set(key, revision);
    else if (ours.has(ref.registry) && !candidates.has(key)) candidates.set(key, { repository: ref.repository, digest, reason: `${revision}, recorded ${item.created}` });
  }
  for (const { image, owner } of input.workloads) {
    const ref = parseOrUndefined(image);
    if (!ref || !managed(ref)) continue;
    const digest = ref.digest ?? await registry.resolve(ref.repository, ref.tag ?? 'latest');
    if (digest) keep.set(manifestKey(ref.repository, digest), owner);
  }
  for (const repository of [...repositories].sort()) {
    for (const tag of await registry.tags(repository)) {
      const digest = await registry.resolve(repository, tag);
      if (digest) keep.set(manifestKey(repository, digest), `tag ${tag} of the registry`);
    }
  }
  const deletions = await expandIndexes(registry, keep, candidates);
  return { deletions, repositories: [...repositories].sort(), kept: keep.size };
}

/** Kept indexes keep what they list; candidate indexes make what they list candidates. Gone manifests drop out. */
async function expandIndexes(registry: RegistryApi, keep: Map<string, string>, candidates: Map<string, PruneCandidate>): Promise<PruneCandidate[]> {
  const manifests = new Map<string, ManifestInfo | undefined>();
  const read = async (repository: string, digest: string) => {
    const key = manifestKey(repository, digest);
    if (!manifests.has(key)) manifests.set(key, await registry.manifest(repository, digest));
    return manifests.get(key);
  };
  for (const key of [...keep.keys()]) {
    const [repository, digest] = splitKey(key);
    for (const child of (await read(repository, digest))?.children ?? []) keep.set(manifestKey(repository, child), `listed by ${digest}`);
  }
  const indexes: PruneCandidate[] = [];
  const others: PruneCandidate[] = [];
  for (const candidate of [...candidates.values()]) {
    if (keep.has(manifestKey(candidate.repository, candidate.digest))) continue;
    const manifest = await read(candidate.repository, candidate.digest);
    if (!manifest) continue;
    (manifest.children.length > 0 ? indexes : others).push(candidate);
    for (const child of manifest.children) {
      const key = manifestKey(candidate.repository, child);
      if (keep.has(key) || candidates.has(key)) continue;
      const entry = { repository: candidate.repository, digest: child, reason: `listed by ${candidate.digest} (${candidate.reason})` };
      candidates.set(key, entry);
      if (await read(candidate.repository, child)) others.push(entry);
    }
  }
  const order = (a: PruneCandidate, b: PruneCandidate) => a.repository.localeCompare(b.repository) || a.digest.localeCompare(b.digest);
  return [...indexes.sort(order), ...others.sort(order)];
}

/** The repository paths (no host) that streams keep in the registry at `host`. */
function streamRepositories(streams: readonly ImageStreamObject[], host: string): Set<string> {
  const paths = new Set<string>();
  for (const stream of streams) {
    const ref = stream.spec.imageRepository ? parseOrUndefined(stream.spec.imageRepository) : undefined;
    if (ref && ref.registry === host) paths.add(ref.repository);
  }
  return paths;
}

/** The hosts nodes pull those repositories from (publicImageRepository), which history items may name. */
function publicHosts(streams: readonly ImageStreamObject[], repositories: Set<string>): string[] {
  return streams.flatMap((s) => {
    const ref = s.spec.publicImageRepository ? parseOrUndefined(s.spec.publicImageRepository) : undefined;
    return ref && repositories.has(ref.repository) ? [ref.registry] : [];
  });
}

function* historyItems(streams: readonly ImageStreamObject[]) {
  for (const stream of streams) {
    for (const list of stream.status?.tags ?? []) {
      for (const [index, item] of (list.items ?? []).entries()) {
        // A mirrored tag's items name the source; the copy its consumers pull is in the stream's repository.
        const ref = parseOrUndefined(storedReference(stream.spec, list.tag, item));
        const digest = item.image || ref?.digest;
        if (!ref || !digest) continue;
        yield { ref, digest, index, item, where: `${stream.metadata.namespace}/${stream.metadata.name}:${list.tag}` };
      }
    }
  }
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), key.slice(at + 1)];
}

function parseOrUndefined(text: string): ImageReference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

export interface PruneResult {
  readonly deleted: readonly PruneCandidate[];
  /** Already gone when their turn came (another prune, a person). */
  readonly missing: readonly PruneCandidate[];
}

/** Deletes the plan's manifests in its order; the first error stops it (what was deleted stays deleted). */
export async function executeImagePrune(registry: RegistryApi, plan: ImagePrunePlan): Promise<PruneResult> {
  const deleted: PruneCandidate[] = [];
  const missing: PruneCandidate[] = [];
  for (const candidate of plan.deletions) {
    (await registry.deleteManifest(candidate.repository, candidate.digest) ? deleted : missing).push(candidate);
  }
  return { deleted, missing };
}
