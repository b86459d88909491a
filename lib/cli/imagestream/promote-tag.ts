import { accessDeniedMessage, mayAccess } from '../../api/grants';
import { promotionGate, rolloutProblem, type Gate, type RolloutCheck } from '../../api/promotion';
import { formatStreamTag, type QualifiedStreamTag } from '../../api/stream-tag';
import { parseTriggerAnnotations } from '../../api/trigger-annotation';
import { WORKLOAD_KINDS } from '../../api/workload-kinds';
import type { KubeClient } from '../../runtime/kube/client';
import { withPromoted } from '../../runtime/imagestreams/promote';
import { imageStreams } from '../../runtime/imagestreams/streams';
import { readStream, writeStatus } from '../../runtime/imagestreams/write-status';
import { StreamTagError } from './errors';
import { history, tagNotFound } from './history';
import { checkPush } from './tag-image';
import { withTag, writeSpecTags } from './write-spec';

export interface PromoteOptions {
  readonly source: QualifiedStreamTag;
  readonly destination: QualifiedStreamTag;
  /** The namespace acting (-n): a destination elsewhere must grant it Push. */
  readonly actor: string;
  /** The source's image must have been its newest this long. @default 0 */
  readonly soakSeconds?: number;
  /** The workloads following the source must run its image, rolled out and available. @default false */
  readonly requireRollout?: boolean;
  /** @default - the system clock */
  readonly now?: () => Date;
}

export interface PromoteReport {
  readonly image: string;
  readonly dockerImageReference: string;
  /** False when the destination had it as its newest item already. */
  readonly moved: boolean;
  /** The destination tag was not in the stream's spec: it was added, without a source. */
  readonly created: boolean;
}

/**
 * `imagestreams promote SRC DST`: the source tag's newest image — verified when it was recorded —
 * becomes the destination's newest history item, noting `promotedFrom`, once the gate holds (the
 * soak, the rollout): the same gate as the controller's automatic promotion (promoteTag). The
 * destination must be a tag without a source of its own (a promoted tag, a build's output, or a new
 * one, which is added), since an import would overwrite what was promoted.
 */
export async function promoteTag(kube: KubeClient, options: PromoteOptions): Promise<PromoteReport> {
  const { source: src, destination: dst } = options;
  const label = formatStreamTag(src);
  const sourceStream = await readStream(imageStreams(kube, src.namespace), src.stream);
  if (!mayAccess(sourceStream, dst.namespace, 'Pull')) throw new StreamTagError(accessDeniedMessage(sourceStream, dst.namespace, 'Pull'));
  const item = history(sourceStream, src.tag)[0];
  if (!item) {
    if (!sourceStream.spec.tags?.some((t) => t.name === src.tag)) throw tagNotFound(sourceStream, src.tag);
    throw new StreamTagError(`"${label}" has no image to promote yet`);
  }
  const rollout = options.requireRollout ? await rolloutOf(kube, src, item.image) : undefined;
  const gate: Gate = promotionGate(item, { soakSeconds: options.soakSeconds, requireRollout: options.requireRollout }, (options.now ?? (() => new Date()))().getTime(), rollout);
  if (!gate.open) throw new StreamTagError(`not promoted: ${gate.message}`);
  const dstStreams = imageStreams(kube, dst.namespace);
  checkPush(await readStream(dstStreams, dst.stream), options.actor);
  const spec = await writeSpecTags(dstStreams, dst.stream, (fresh) => {
    const existing = fresh.spec.tags?.find((t) => t.name === dst.tag);
    if (existing?.from) {
      throw new StreamTagError(`"${formatStreamTag(dst)}" has a source of its own (${existing.from.kind} ${existing.from.name}), whose next import or alias would replace what is promoted: promote into a tag without one (stream.promoteTag() in the constructs, or a new tag)`);
    }
    return { tags: existing ? undefined : withTag(fresh.spec.tags, { name: dst.tag }), result: !existing };
  });
  const now = (options.now ?? (() => new Date()))().toISOString().replace(/\.\d+Z$/, 'Z');
  const written = await writeStatus(dstStreams, dst.stream, (fresh) => withPromoted(fresh, dst.tag, item, label, now));
  return { image: item.image, dockerImageReference: item.dockerImageReference, moved: written.computed.moved, created: spec.computed };
}

/** The workloads of the source's namespace following it, and which don't run `digest` rolled out yet. */
async function rolloutOf(kube: KubeClient, src: QualifiedStreamTag, digest: string): Promise<RolloutCheck> {
  let followers = 0;
  const waiting: string[] = [];
  for (const kind of WORKLOAD_KINDS) {
    const { items } = await kube.resource({ apiVersion: kind.apiVersion, resource: kind.resource, namespace: src.namespace }).list();
    for (const workload of items) {
      const { triggers } = parseTriggerAnnotations(workload.metadata.annotations as Record<string, string> | undefined, src.namespace);
      if (!triggers.some((t) => t.namespace === src.namespace && t.stream === src.stream && t.tag === src.tag)) continue;
      followers++;
      const problem = rolloutProblem(kind, workload, digest);
      if (problem) waiting.push(problem);
    }
  }
  return { followers, waiting };
}
