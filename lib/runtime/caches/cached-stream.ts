import type { ImageStreamObject, NamedTagEventList, TagEvent, TagEventCondition } from '../../api/imagestream';
import type { KubeObject } from '../kube/types';
import type { RepositoryImportStatus } from '../../api/repository-import';
import { sharedStrings as strings, sharedValues as values } from '../machinery/intern';
import { defaultStreamRepository, type StreamRegistryDefaults } from '../../api/repository-path';

type Stream = ImageStreamObject & KubeObject;

/**
 * What the controller keeps of an ImageStream in its caches. Every reader (triggers, builds,
 * imports, promotions, notifications, the push receiver) reads the spec, and of the status only each
 * tag's newest item (what a tag points at now), its ImportSuccess condition (whether the spec's
 * generation was imported, and why it failed), its policy choice, and which repository
 * (spec.dockerImageRepository) was imported at which generation; whoever writes status reads the
 * stream fresh from the API server. So the spec stays whole, and the history (up to historyLimit
 * items a tag), lastImportAttempt, managedFields, labels and annotations are dropped: a stream of 10
 * tags × 10 items keeps about a tenth of itself.
 */
export function cachedStream(object: Stream, registry?: StreamRegistryDefaults): Stream {
  const { name, namespace, uid, resourceVersion, generation } = object.metadata;
  const status = object.status;
  const spec = registry ? withSystemRegistry(object, registry) : object.spec;
  return {
    apiVersion: strings.intern(object.apiVersion),
    kind: strings.intern(object.kind),
    metadata: { name, namespace: strings.intern(namespace), uid, resourceVersion, generation } as Stream['metadata'],
    // Small parts that streams repeat (policies, sources' kinds, True conditions) are one shared copy.
    spec: values.share(spec),
    ...(status ? { status: {
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      ...(status.tags ? { tags: status.tags.map(newestOnly) } : {}),
      // Whether spec.dockerImageRepository was imported at this generation (repositoryImportDue).
      ...(status.repositoryImport ? { repositoryImport: repositoryImport(status.repositoryImport) } : {}),
    } } : {}),
  } as Stream;
}

/**
 * A stream that names no repository of its own (one applied as OpenShift YAML) keeps its images where
 * the System's registry keeps the stream, as OpenShift's internal registry does: builds push there,
 * Local tags are copied there, nodes pull from the registry's pull address. Read so, it is what the
 * System would have synthesized; its spec in the API server is left as it was applied.
 */
function withSystemRegistry(object: Stream, registry: StreamRegistryDefaults): Stream['spec'] {
  const spec = object.spec ?? {};
  if (spec.imageRepository || !object.metadata.namespace) return spec;
  let repository;
  try {
    repository = defaultStreamRepository(registry, object.metadata.namespace, object.metadata.name);
  } catch {
    return spec; // a name no repository can have: read as it is
  }
  return {
    ...spec,
    imageRepository: repository.push,
    ...(spec.publicImageRepository ? {} : { publicImageRepository: repository.pull }),
    ...(spec.imageRepositoryInsecure !== undefined ? {} : registry.insecure ? { imageRepositoryInsecure: true } : {}),
  };
}

function newestOnly(list: NamedTagEventList): NamedTagEventList {
  const newest = list.items?.[0];
  return {
    tag: strings.intern(list.tag),
    ...(newest ? { items: [sharedDigest(newest)] } : {}),
    ...(list.conditions ? { conditions: values.share(list.conditions.map(condition)) } : {}),
    ...(list.policy ? { policy: list.policy } : {}),
  };
}

function repositoryImport(r: RepositoryImportStatus): RepositoryImportStatus {
  const { repository, generation, status, reason } = r;
  return { repository, generation, status, reason } as RepositoryImportStatus;
}

/** The digest as a slice of the reference (`repo@sha256:…`), which holds it already. */
function sharedDigest(item: TagEvent): TagEvent {
  const at = item.dockerImageReference.lastIndexOf('@');
  return at >= 0 && item.dockerImageReference.slice(at + 1) === item.image ? { ...item, image: item.dockerImageReference.slice(at + 1) } : item;
}

/** A True condition's message only repeats the digest; a False one's says why the import failed (kept). */
function condition(c: TagEventCondition): TagEventCondition {
  const { type, status, reason, message, generation } = c;
  return {
    type: strings.intern(type), status: strings.intern(status), reason: strings.intern(reason), generation,
    ...(status !== 'True' && message !== undefined ? { message } : {}),
  } as TagEventCondition;
}
