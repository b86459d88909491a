import { accessDeniedMessage, mayAccess } from '../../../api/grants';
import type { ImageStreamObject, TagSpec } from '../../../api/imagestream';
import { promotionGate, rolloutProblem, type RolloutCheck } from '../../../api/promotion';
import { parseStreamTag } from '../../../api/stream-tag';
import { hasTriggerAnnotation, parseTriggerAnnotations } from '../../../api/trigger-annotation';
import { WORKLOAD_KINDS, type WorkloadKind } from '../../../api/workload-kinds';
import { streamInformer, workloadInformer } from '../../caches/informers';
import { withPromoted } from '../../imagestreams/promote';
import { imageStreams, StreamNotFoundError } from '../../imagestreams/streams';
import { writeStatus } from '../../imagestreams/write-status';
import type { KubeClient } from '../../kube/client';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Informer } from '../../machinery/informer';
import { objectKey } from '../../machinery/object-store';
import type { ReconcileResult, Reconciler, SetupContext } from '../../machinery/reconciler';

type Stream = ImageStreamObject & KubeObject;
const BY_SOURCE = 'promotion-source';
const BY_FOLLOWED = 'followed-tag';

export interface PromotionReconcilerOptions {
  /** @default - the system clock, ms */
  readonly now?: () => number;
}

/**
 * Promotes images between tags (`spec.tags[].promotion`): when a source tag's newest image has soaked
 * long enough and, if asked, the workloads following the source run it rolled out and available, that
 * image becomes the destination's newest history item, noting `promotedFrom` — a status write, so a
 * Git-owned spec never changes. A source in another namespace must grant the destination's Pull. Each
 * promotion is a Normal Event `Promoted`; a gate that holds says why in a Normal Event
 * `PromotionWaiting`, and the tag is looked at again when it may pass (or when the source moves).
 */
export class PromotionReconciler implements Reconciler {
  readonly name = 'promotions';
  private streams!: Informer<Stream>;
  private readonly workloads = new Map<WorkloadKind, Informer<KubeObject>>();
  private client!: KubeClient;
  private events!: EventRecorder;

  constructor(private readonly options: PromotionReconcilerOptions = {}) {}

  setup(ctx: SetupContext): void {
    ({ client: this.client, events: this.events } = ctx);
    this.streams = streamInformer(ctx, { [BY_SOURCE]: promotionSources });
    ctx.watch(this.streams, (stream) => [
      ...(promotionTags(stream).length ? [objectKey(stream)] : []),
      ...this.streams.store.byIndex(BY_SOURCE, `${stream.metadata.namespace}/${stream.metadata.name}`).map(objectKey),
    ]);
    for (const kind of WORKLOAD_KINDS) {
      const informer = workloadInformer(ctx, kind, { [BY_FOLLOWED]: followedTags });
      this.workloads.set(kind, informer);
      // A rollout finishing may open a gate: the streams promoting from what the workload follows.
      ctx.watch(informer, (workload) => followedStreams(workload).flatMap((s) => this.streams.store.byIndex(BY_SOURCE, s).map(objectKey)));
    }
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/');
    const stream = this.streams.get(namespace, name);
    if (!stream) return;
    let retryAfterMs: number | undefined;
    for (const tag of promotionTags(stream)) {
      const wait = await this.promote(stream, tag);
      if (wait !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, wait);
    }
    return retryAfterMs === undefined ? undefined : { requeueAfterMs: Math.max(1_000, retryAfterMs) };
  }

  /** Promotes into `tag` if its gate is open; returns when to look again, if ever. */
  private async promote(stream: Stream, tag: TagSpec & { promotion: NonNullable<TagSpec['promotion']> }): Promise<number | undefined> {
    const namespace = stream.metadata.namespace ?? '';
    const { promotion } = tag;
    const sourceNamespace = promotion.from.namespace ?? namespace;
    const ref = sourceRef(promotion.from.name);
    if (!ref) return void (await this.events.record(stream, 'Warning', 'PromotionInvalid', `${tag.name}: promotion.from '${promotion.from.name}' is not stream:tag`));
    const source = this.streams.get(sourceNamespace, ref.stream);
    const label = `${sourceNamespace}/${ref.stream}:${ref.tag}`;
    if (!source) return void (await this.events.record(stream, 'Warning', 'PromotionSourceNotFound', `${tag.name}: ImageStream '${sourceNamespace}/${ref.stream}' not found`));
    if (!mayAccess(source, namespace, 'Pull')) return void (await this.events.record(stream, 'Warning', 'AccessDenied', `${tag.name}: ${accessDeniedMessage(source, namespace, 'Pull')}`));
    const item = source.status?.tags?.find((t) => t.tag === ref.tag)?.items?.[0];
    const newest = stream.status?.tags?.find((t) => t.tag === tag.name)?.items?.[0];
    if (!item || newest?.image === item.image) return undefined;
    const rollout = promotion.requireRollout ? this.rollout(sourceNamespace, ref.stream, ref.tag, item.image) : undefined;
    const gate = promotionGate(item, promotion, (this.options.now ?? Date.now)(), rollout);
    if (!gate.open) {
      await this.events.record(stream, 'Normal', 'PromotionWaiting', `${tag.name}: ${label} → ${tag.name}: ${gate.message}`);
      return gate.retryAfterMs;
    }
    try {
      const now = new Date((this.options.now ?? Date.now)()).toISOString().replace(/\.\d+Z$/, 'Z');
      const written = await writeStatus(imageStreams(this.client, namespace), stream.metadata.name, (fresh) => withPromoted(fresh, tag.name, item, label, now));
      if (written.computed.moved) await this.events.record(written.object, 'Normal', 'Promoted', `${tag.name}: ${item.image} promoted from ${label}`);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  /** The workloads of `namespace` following `stream:tag`, and which of them don't run `digest` rolled out yet. */
  private rollout(namespace: string, stream: string, tag: string, digest: string): RolloutCheck {
    let followers = 0;
    const waiting: string[] = [];
    for (const [kind, informer] of this.workloads) {
      for (const workload of informer.store.byIndex(BY_FOLLOWED, `${namespace}/${stream}:${tag}`)) {
        if ((workload.metadata.namespace ?? '') !== namespace) continue;
        followers++;
        const problem = rolloutProblem(kind, workload, digest);
        if (problem) waiting.push(problem);
      }
    }
    return { followers, waiting };
  }
}

function promotionTags(stream: ImageStreamObject): (TagSpec & { promotion: NonNullable<TagSpec['promotion']> })[] {
  return (stream.spec.tags ?? []).filter((t): t is TagSpec & { promotion: NonNullable<TagSpec['promotion']> } => t.promotion !== undefined);
}

/** `namespace/stream` of every source this stream promotes from. */
function promotionSources(stream: Stream): string[] {
  return promotionTags(stream).flatMap((t) => {
    const ref = sourceRef(t.promotion.from.name);
    return ref ? [`${t.promotion.from.namespace ?? stream.metadata.namespace}/${ref.stream}`] : [];
  });
}

function sourceRef(name: string): { stream: string; tag: string } | undefined {
  try {
    const ref = parseStreamTag(name);
    return ref.namespace ? undefined : { stream: ref.stream, tag: ref.tag };
  } catch {
    return undefined;
  }
}

function followedTags(workload: KubeObject): string[] {
  if (!hasTriggerAnnotation(workload.metadata.annotations)) return [];
  const { triggers } = parseTriggerAnnotations(workload.metadata.annotations, workload.metadata.namespace ?? 'default');
  return [...new Set(triggers.map((t) => `${t.namespace}/${t.stream}:${t.tag}`))];
}

function followedStreams(workload: KubeObject): string[] {
  return [...new Set(followedTags(workload).map((t) => t.slice(0, t.lastIndexOf(':'))))];
}
