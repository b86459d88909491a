/**
 * OpenShift's `lookupPolicy: { local: true }`: a workload of the stream's namespace may name one of its
 * tags by short name (`image: jdk8:latest`, or `jdk8` for `jdk8:latest`), and gets the tag's image
 * instead of a pull of `docker.io/library/jdk8`. The constructs resolve such names at synth time;
 * the controller resolves them in workloads applied as YAML, and keeps them following the tag (as an
 * image trigger would), remembering what it resolved in an annotation of its own. The one copy of
 * the rule, for both.
 */
import { isDnsSubdomain, isTagName } from './names';
import type { ImageStreamObject } from './imagestream';

/**
 * The controller's record of the containers it resolved by local lookup: a JSON object
 * `{ "containers/web": { "tag": "jdk8:latest", "image": "repo@sha256:…" } }` — the short name the
 * container had, and the image the controller set (while the container still has it, it follows the tag).
 */
export const LOCAL_LOOKUP_ANNOTATION = 'imagestreams.dev/local-lookup';

export interface LocalLookupEntry {
  /** `stream:tag`, in the workload's namespace. */
  readonly tag: string;
  /** The image the controller set. */
  readonly image: string;
}

/** `containers/web` → entry. */
export type LocalLookups = Readonly<Record<string, LocalLookupEntry>>;

/** `jdk8:latest` → { jdk8, latest }; `jdk8` → { jdk8, latest }; anything with a registry, a path or a digest → undefined. */
export function shortName(image: unknown): { stream: string; tag: string } | undefined {
  if (typeof image !== 'string' || image.includes('/') || image.includes('@')) return undefined;
  const [stream, tag = 'latest', ...rest] = image.split(':');
  return rest.length === 0 && isDnsSubdomain(stream) && isTagName(tag) ? { stream, tag } : undefined;
}

/** Whether the stream lets its namespace's workloads name its tags by short name. */
export function hasLocalLookup(stream: ImageStreamObject | undefined): boolean {
  return stream?.spec.lookupPolicy?.local === true;
}

/** Whether the stream has this tag, in spec or in status (a tag imported from its dockerImageRepository). */
export function definesTag(stream: ImageStreamObject, tag: string): boolean {
  return (stream.spec.tags ?? []).some((t) => t.name === tag) || (stream.status?.tags ?? []).some((t) => t.tag === tag);
}

/** The controller's record, or {} when there is none or it is not what the controller writes. */
export function parseLocalLookups(annotations: Record<string, string> | undefined): LocalLookups {
  const text = annotations?.[LOCAL_LOOKUP_ANNOTATION];
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v?.tag === 'string' && typeof v?.image === 'string'));
  } catch {
    return {};
  }
}

/** The record as the annotation holds it: keys sorted, so that the same record is the same text. */
export function formatLocalLookups(lookups: LocalLookups): string {
  return JSON.stringify(Object.fromEntries(Object.keys(lookups).sort().map((k) => [k, { tag: lookups[k].tag, image: lookups[k].image }])));
}

/** Whether a container of the object's pod spec (at `podSpecPath`) has a short name for an image: one local lookup may resolve. */
export function namesShortImage(object: unknown, podSpecPath: readonly string[]): boolean {
  return shortImageStreams(object, podSpecPath).length > 0;
}

/** The streams the short image names of the object's containers would be, by name (`jdk8` for `jdk8:latest`). */
export function shortImageStreams(object: unknown, podSpecPath: readonly string[]): string[] {
  let pod: unknown = object;
  for (const field of podSpecPath) pod = (pod as Record<string, unknown> | undefined)?.[field];
  const streams = new Set<string>();
  for (const list of ['containers', 'initContainers']) {
    const containers = (pod as Record<string, unknown> | undefined)?.[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers) {
      const short = shortName((c as { image?: unknown } | undefined)?.image);
      if (short) streams.add(short.stream);
    }
  }
  return [...streams];
}
