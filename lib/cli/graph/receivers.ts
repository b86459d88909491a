import { canonicalRegistry, DOCKER_HUB, parseReference } from '../../api/image-reference';
import type { RegistryReceiverSpec } from '../../api/receiver';
import type { ObjectManifest } from './manifests';

/** A RegistryReceiver of the app, as the graph labels the imports it nudges. */
export interface ReceiverManifest {
  readonly namespace: string;
  readonly name: string;
  readonly spec: RegistryReceiverSpec;
}

/** The registry a sender's events name when the receiver lists none (undefined: any, it says in each event). */
const DEFAULT_HOST: Partial<Record<RegistryReceiverSpec['type'], string>> = { DockerHub: DOCKER_HUB, GHCR: 'ghcr.io' };

export function receiverOf(object: ObjectManifest): ReceiverManifest {
  return { namespace: object.metadata.namespace, name: object.metadata.name, spec: (object.spec ?? {}) as RegistryReceiverSpec };
}

/**
 * `push (Distribution: team/registry)` for each receiver whose events would nudge the import of
 * `image` into a tag of `namespace/stream`: same namespace, the stream among its streams (when it
 * lists some), the image's registry among those it speaks for.
 */
export function pushLabels(receivers: readonly ReceiverManifest[], namespace: string, stream: string, image: string): string[] {
  let registry: string;
  try {
    registry = canonicalRegistry(parseReference(image).registry.toLowerCase());
  } catch {
    return [];
  }
  return receivers.filter((r) => {
    if (r.namespace !== namespace || (r.spec.streams?.length && !r.spec.streams.includes(stream))) return false;
    const hosts = r.spec.registries?.length ? r.spec.registries.map((h) => canonicalRegistry(h.toLowerCase())) : DEFAULT_HOST[r.spec.type] ? [DEFAULT_HOST[r.spec.type]!] : undefined;
    return !hosts || hosts.includes(registry);
  }).map((r) => `push (${r.spec.type}: ${r.namespace}/${r.name})`).sort();
}
