import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { parseFieldPath, type ContainerList } from '../../lib/api/field-path';
import type { TagSpec } from '../../lib/api/imagestream';
import { shortName } from '../../lib/api/local-lookup';
import { aliasTarget } from '../../lib/api/stream-tag';
import { parseTriggerAnnotations } from '../../lib/api/trigger-annotation';
import { workloadKind, type WorkloadKind } from '../../lib/api/workload-kinds';
import { deployTo } from './deploy-to';
import type { ImageStreamTag } from './tag';

/** What local lookup needs of a stream (ImageStream implements it). */
export interface LookupStream extends IConstruct {
  readonly streamName: string;
  readonly namespace: string;
  /** OpenShift's lookupPolicy.local. */
  readonly localLookup: boolean;
  readonly tagSpecs: readonly TagSpec[];
  hasTag(tag: string): boolean;
  tag(tag: string): ImageStreamTag;
  pullSpecOf(tag: string): string | undefined;
}

const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');
const REGISTERED = Symbol.for('cdk8s-imagestreams.LocalLookup');
const HOLDER_ID = 'ImageStreamTriggers';
const isStream = (x: unknown): x is LookupStream => typeof x === 'object' && x !== null && STREAM_BRAND in x;

/**
 * Turns on, once per app, the resolution of short names: a validation of the app's root, which runs
 * before every other (cdk8s and the compiler validate the tree from the root down), so that what it
 * adds is validated and rendered like anything the app wrote. See resolveLocalLookups.
 */
export function enableLocalLookup(stream: IConstruct): void {
  const root = stream.node.root;
  if (REGISTERED in root) return;
  Object.defineProperty(root, REGISTERED, { value: true });
  root.node.addValidation({ validate: () => resolveLocalLookups(root) });
}

/**
 * OpenShift's `lookupPolicy: { local: true }`, at synth time instead of at admission: a container of a
 * workload (Deployment, StatefulSet, DaemonSet, CronJob) whose image is a stream's short name —
 * `jdk8:latest`, or `jdk8` for `jdk8:latest` — where that stream is in the workload's namespace and
 * has local lookup, follows the tag as `stream.tag(t).deployTo(workload)` would make it (a trigger
 * entry, checked like any), and its image field is written as the tag's pull spec where it is known
 * at synth time (the digest of a pinned tag, the source of an imported or reference tag, the stream's
 * registry for a build's output, an alias's target): never the short name, which nodes would pull
 * from Docker Hub. Returns the problems: a short name of a tag the stream doesn't define. A container
 * whose image field already follows a tag (an explicit deployTo) is left to that.
 */
export function resolveLocalLookups(root: IConstruct): string[] {
  const all = root.node.findAll().filter(isStream);
  const local = new Map(all.filter((s) => s.localLookup).map((s) => [`${s.namespace}/${s.streamName}`, s]));
  if (local.size === 0) return [];
  const streams = new Map(all.map((s) => [`${s.namespace}/${s.streamName}`, s]));
  const problems: string[] = [];
  for (const object of root.node.findAll().filter(ApiObject.isApiObject)) {
    const kind = workloadKind(object.kind);
    const namespace = object.metadata.namespace;
    if (!kind || !namespace) continue;
    const json = object.toJson() as { metadata?: { annotations?: Record<string, string> } };
    const followed = followedFields(json.metadata?.annotations, namespace, kind);
    for (const [list, containers] of containerLists(json, kind)) {
      containers.forEach((container, index) => {
        const short = shortName(container.image);
        const stream = short && local.get(`${namespace}/${short.stream}`);
        if (!short || !stream || !container.name) return;
        const init = list === 'initContainers';
        if (!stream.hasTag(short.tag)) {
          problems.push(`${object.node.path}: ${init ? 'init container' : 'container'} '${container.name}' names '${container.image}', but ImageStream '${namespace}/${stream.streamName}' (lookupPolicy local) defines no tag '${short.tag}': define it, or write the image in full`);
          return;
        }
        if (followed.has(`${list}/${container.name}`) || followed.has(`${list}#${index}`)) return;
        deployTo(stream.tag(short.tag), holderOwner(object), { container: container.name, init });
        const pull = pullSpec(streams, stream, short.tag);
        if (pull) object.addJsonPatch(JsonPatch.replace(`/${[...kind.podSpecPath, list, String(index), 'image'].join('/')}`, pull));
      });
    }
  }
  return problems;
}

/** `jdk8:latest` → { jdk8, latest }; `jdk8` → { jdk8, latest }; see lib/api/local-lookup.ts (the controller reads them alike). */
export { shortName };

/** The pull spec known at synth time, following aliases to streams of the app. */
function pullSpec(streams: ReadonlyMap<string, LookupStream>, stream: LookupStream, tag: string): string | undefined {
  for (let at = { stream, tag }, depth = 0; depth < 32; depth++) {
    const from = at.stream.tagSpecs.find((t) => t.name === at.tag)?.from;
    if (from?.kind !== 'ImageStreamTag') return at.stream.pullSpecOf(at.tag);
    const target = aliasTarget(from, { namespace: at.stream.namespace, stream: at.stream.streamName });
    const next = streams.get(`${target.namespace}/${target.stream}`);
    if (!next) return undefined;
    at = { stream: next, tag: target.tag };
  }
  return undefined;
}

/** The image fields the object's trigger annotations (ours or OpenShift's) set already: `containers/web`, `containers#0`. */
function followedFields(annotations: Record<string, string> | undefined, namespace: string, kind: WorkloadKind): Set<string> {
  const fields = new Set<string>();
  for (const trigger of parseTriggerAnnotations(annotations, namespace).triggers) {
    const selector = parseFieldPath(trigger.fieldPath, kind);
    if (typeof selector !== 'string') fields.add('name' in selector ? `${selector.list}/${selector.name}` : `${selector.list}#${selector.index}`);
  }
  return fields;
}

/** The containers and init containers of the object's pod template. */
function containerLists(json: unknown, kind: WorkloadKind): [ContainerList, { name?: string; image?: unknown }[]][] {
  let pod: unknown = json;
  for (const key of kind.podSpecPath) pod = (pod as Record<string, unknown> | undefined)?.[key];
  const lists = (['containers', 'initContainers'] as const).map((list) => [list, (pod as Record<string, unknown> | undefined)?.[list]] as const);
  return lists.filter(([, containers]) => Array.isArray(containers)) as [ContainerList, { name?: string; image?: unknown }[]][];
}

/** Where the workload's triggers live: a cdk8s-plus workload's own (when deployTo was called on it), else the object's. */
function holderOwner(object: ApiObject): ApiObject {
  const scope = object.node.scope;
  const owner = scope?.node.tryFindChild(HOLDER_ID) ? scope : object;
  return owner as ApiObject;
}
