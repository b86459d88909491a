import { API_GROUP } from './group';
import { tryParseStreamTag, formatStreamTag } from './stream-tag';

/**
 * The image triggers of a workload: a JSON array of `{from: {kind: ImageStreamTag, name:
 * 'stream:tag', namespace}, fieldPath, paused}`, OpenShift's `image.openshift.io/triggers` format.
 * The constructs write it (formatTriggerAnnotation), the controller reads it (parseTriggerAnnotations).
 */
export const TRIGGERS_ANNOTATION = `${API_GROUP}/triggers`;
/** OpenShift's own annotation, in the same format: honoured so that manifests port over unchanged. */
export const OPENSHIFT_TRIGGERS_ANNOTATION = 'image.openshift.io/triggers';

export interface ImageTrigger {
  /** `stream:tag` and the stream's namespace (the workload's when absent). */
  readonly stream: string;
  readonly tag: string;
  readonly namespace: string;
  readonly fieldPath: string;
  readonly paused: boolean;
}

export interface ParsedTriggers {
  readonly triggers: readonly ImageTrigger[];
  /** One message per annotation or entry that is unusable; the others still count. */
  readonly errors: readonly string[];
}

export function hasTriggerAnnotation(annotations: Record<string, string> | undefined): boolean {
  return annotations?.[TRIGGERS_ANNOTATION] !== undefined || annotations?.[OPENSHIFT_TRIGGERS_ANNOTATION] !== undefined;
}

/** Both annotations' triggers; where both set the same fieldPath, ours wins. */
export function parseTriggerAnnotations(annotations: Record<string, string> | undefined, namespace: string): ParsedTriggers {
  const triggers = new Map<string, ImageTrigger>();
  const errors: string[] = [];
  for (const name of [OPENSHIFT_TRIGGERS_ANNOTATION, TRIGGERS_ANNOTATION]) {
    const text = annotations?.[name];
    if (text === undefined) continue;
    const parsed = parseTriggerList(text, namespace);
    if (typeof parsed === 'string') errors.push(`annotation '${name}': ${parsed}`);
    else for (const entry of parsed) typeof entry === 'string' ? errors.push(`annotation '${name}': ${entry}`) : triggers.set(entry.fieldPath, entry);
  }
  return { triggers: [...triggers.values()], errors };
}

/** The entries (or why each is wrong), or why the whole annotation is. */
function parseTriggerList(text: string, namespace: string): (ImageTrigger | string)[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (!Array.isArray(value)) return 'must be a JSON array of triggers';
  return value.map((entry, i) => parseTrigger(entry, namespace, i));
}

function parseTrigger(entry: unknown, namespace: string, i: number): ImageTrigger | string {
  const e = entry as { from?: { kind?: unknown; name?: unknown; namespace?: unknown }; fieldPath?: unknown; paused?: unknown } | null;
  if (typeof e !== 'object' || e === null) return `trigger [${i}] must be an object`;
  if (e.from?.kind !== 'ImageStreamTag') return `trigger [${i}]: 'from.kind' (${JSON.stringify(e.from?.kind)}) must be 'ImageStreamTag'`;
  const name = e.from.name;
  const ref = typeof name === 'string' ? tryParseStreamTag(name) : undefined;
  if (!ref) return `trigger [${i}]: 'from.name' (${JSON.stringify(name)}) must be 'stream:tag'`;
  if (ref.namespace !== undefined) return `trigger [${i}]: 'from.name' (${JSON.stringify(name)}) must be 'stream:tag': put the namespace in 'from.namespace'`;
  if (typeof e.fieldPath !== 'string') return `trigger [${i}]: 'fieldPath' must be a string`;
  if (e.from.namespace !== undefined && typeof e.from.namespace !== 'string') return `trigger [${i}]: 'from.namespace' must be a string`;
  return { stream: ref.stream, tag: ref.tag, namespace: (e.from.namespace as string | undefined) || namespace, fieldPath: e.fieldPath, paused: e.paused === true || e.paused === 'true' };
}

/** The annotation's value for these triggers; the namespace is always written, so it reads the same wherever applied. */
export function formatTriggerAnnotation(triggers: readonly ImageTrigger[]): string {
  return JSON.stringify(triggers.map((t) => ({
    from: { kind: 'ImageStreamTag', name: formatStreamTag({ stream: t.stream, tag: t.tag }), namespace: t.namespace },
    fieldPath: t.fieldPath,
    paused: t.paused,
  })));
}
