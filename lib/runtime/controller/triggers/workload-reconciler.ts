import type { ImageStreamObject } from '../../../api/imagestream';
import type { KubeClient } from '../../kube/client';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Informer } from '../../machinery/informer';
import type { Logger } from '../../machinery/logger';
import { objectKey } from '../../machinery/object-store';
import type { Reconciler, SetupContext } from '../../machinery/reconciler';
import { streamInformer, workloadInformer } from '../../caches/informers';
import { containersOf, FIELD_MANAGER, imageApplyConfig, ownedImageFields, podSpecOf, type ImageFields } from './apply-config';
import type { ContainerList } from '../../../api/field-path';
import { planImages } from './plan-images';
import { planLocalLookups } from './plan-local-lookups';
import { formatLocalLookups, LOCAL_LOOKUP_ANNOTATION, namesShortImage, parseLocalLookups, shortImageStreams } from '../../../api/local-lookup';
import { aliasTargets } from './resolve-tag';
import { hasTriggerAnnotation, parseTriggerAnnotations } from '../../../api/trigger-annotation';
import { WORKLOAD_KINDS, workloadKind, type WorkloadKind } from '../../../api/workload-kinds';

const BY_STREAM = 'stream';
const BY_ALIAS_TARGET = 'alias-target';

/** Queue keys: `Deployment/namespace/name`. */
const workloadKey = (kind: WorkloadKind, object: KubeObject) => `${kind.kind}/${objectKey(object)}`;

/**
 * Image triggers of workloads: sets each annotated container image to the digest its ImageStream
 * tag points at, with server-side apply of that field alone (field manager imagestreams-controller);
 * and OpenShift's local lookup: a container naming a tag of a `lookupPolicy.local` stream of its
 * namespace by short name gets its image the same way, and follows the tag (planLocalLookups).
 */
export class WorkloadTriggerReconciler implements Reconciler {
  readonly name = 'workload-triggers';
  private streams!: Informer<ImageStreamObject & KubeObject>;
  private readonly workloads = new Map<string, Informer<KubeObject>>();
  private client!: KubeClient;
  private events!: EventRecorder;
  private log!: Logger;

  setup(ctx: SetupContext): void {
    ({ client: this.client, events: this.events, log: this.log } = ctx);
    this.streams = streamInformer(ctx, { [BY_ALIAS_TARGET]: (s) => aliasTargets(s) });
    for (const kind of WORKLOAD_KINDS) {
      const informer = workloadInformer(ctx, kind, { [BY_STREAM]: (object) => streamsOf(kind, object) });
      this.workloads.set(kind.kind, informer);
      ctx.watch(informer, (object, old) => (followsImages(kind, object) || (old && followsImages(kind, old)) ? [workloadKey(kind, object)] : []));
    }
    ctx.watch(this.streams, (stream, old) => (old && old !== stream && sameVersion(old, stream) ? [] : this.dependents(stream)));
  }

  /** Keys are `Kind/namespace/name`. */
  namespaceOf(key: string): string {
    return key.split('/')[1] ?? '';
  }

  async reconcile(key: string): Promise<void> {
    const found = this.find(key);
    if (!found || !followsImages(found.kind, found.object)) return;
    const { object, kind } = found;
    const lookup = (ns: string, name: string) => this.streams.get(ns, name);
    const triggered = planImages(object, kind, lookup);
    // OpenShift's lookupPolicy.local: containers that name a local stream's tag by short name.
    const local = planLocalLookups(object, kind, lookup);
    const planned: ImageFields = new Map([...triggered.images, ...local.images]);
    for (const problem of [...triggered.problems, ...local.problems]) await this.events.record(object, 'Warning', problem.reason, problem.message);
    // Workloads have no status of ours: a Normal Event says what the container waits for (once a minute at most).
    for (const waiting of [...triggered.waiting, ...local.waiting]) await this.events.record(object, 'Normal', waiting.reason, waiting.message);
    const live = currentImages(object, kind);
    const changed = [...planned].filter(([field, image]) => live.get(field) !== image);
    const record = Object.keys(local.lookups).length > 0 ? formatLocalLookups(local.lookups) : undefined;
    const recordChanged = record !== object.metadata.annotations?.[LOCAL_LOOKUP_ANNOTATION];
    this.log.log('debug', 'reconciled', { workload: key, resourceVersion: object.metadata.resourceVersion, changes: changed.length });
    if (changed.length === 0 && !recordChanged) return;
    // Keep every image we own in the apply, or server-side apply would remove the ones left out.
    const images: ImageFields = new Map(planned);
    for (const field of ownedImageFields(object, kind)) if (!images.has(field) && live.has(field)) images.set(field, live.get(field)!);
    const resource = this.client.resource({ apiVersion: kind.apiVersion, resource: kind.resource, namespace: object.metadata.namespace });
    // force: the applied object holds only container names (keys, unchanged) and images, so force
    // can take over nothing but the image fields, which kubectl or GitOps set first to a tag. The
    // local-lookup record is the controller's alone; applied without it, it is removed.
    await resource.apply(imageApplyConfig(object, kind, images, record ? { [LOCAL_LOOKUP_ANNOTATION]: record } : undefined), { fieldManager: FIELD_MANAGER, force: true });
    for (const [field, image] of changed) this.log.log('info', 'image updated', { workload: key, container: field, image });
  }

  async giveUp(key: string, error: unknown): Promise<void> {
    const found = this.find(key);
    if (found) await this.events.record(found.object, 'Warning', 'TriggerFailed', `could not set images: ${error instanceof Error ? error.message : String(error)}`);
  }

  private find(key: string): { object: KubeObject; kind: WorkloadKind } | undefined {
    const [kindName, namespace, name] = key.split('/');
    const kind = workloadKind(kindName);
    const object = kind && this.workloads.get(kind.kind)?.get(namespace, name);
    return kind && object ? { object, kind } : undefined;
  }

  /** Workloads that follow a tag of this stream, directly or through alias tags of other streams. */
  private dependents(stream: KubeObject): string[] {
    const keys: string[] = [];
    const pending = [objectKey(stream)];
    for (const seen = new Set(pending); pending.length > 0; ) {
      const at = pending.pop()!;
      for (const kind of WORKLOAD_KINDS) for (const w of this.workloads.get(kind.kind)!.store.byIndex(BY_STREAM, at)) keys.push(workloadKey(kind, w));
      for (const alias of this.streams.store.byIndex(BY_ALIAS_TARGET, at)) {
        const next = objectKey(alias);
        if (!seen.has(next)) seen.add(next), pending.push(next);
      }
    }
    return keys;
  }
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  return a.metadata.resourceVersion === b.metadata.resourceVersion;
}

function currentImages(object: KubeObject, kind: WorkloadKind): ImageFields {
  const images: ImageFields = new Map();
  const podSpec = podSpecOf(object, kind);
  for (const list of ['containers', 'initContainers'] as ContainerList[]) {
    for (const c of containersOf(podSpec, list)) if (c.name && c.image !== undefined) images.set(`${list}/${c.name}`, c.image);
  }
  return images;
}

/** Whether the workload has images of ours to set: triggers, or short names a local lookup may resolve (or has resolved). */
function followsImages(kind: WorkloadKind, object: KubeObject): boolean {
  const annotations = object.metadata.annotations;
  return hasTriggerAnnotation(annotations) || annotations?.[LOCAL_LOOKUP_ANNOTATION] !== undefined || namesShortImage(object, kind.podSpecPath);
}

/**
 * `namespace/stream` of every trigger, and of every stream a short image name or a local-lookup
 * record may mean, for the index that maps a stream change to its workloads.
 */
function streamsOf(kind: WorkloadKind, object: KubeObject): string[] {
  const namespace = object.metadata.namespace ?? 'default';
  const streams = new Set<string>();
  if (hasTriggerAnnotation(object.metadata.annotations)) {
    for (const t of parseTriggerAnnotations(object.metadata.annotations, namespace).triggers) streams.add(`${t.namespace}/${t.stream}`);
  }
  for (const stream of shortImageStreams(object, kind.podSpecPath)) streams.add(`${namespace}/${stream}`);
  for (const entry of Object.values(parseLocalLookups(object.metadata.annotations))) streams.add(`${namespace}/${entry.tag.split(':')[0]}`);
  return [...streams];
}

