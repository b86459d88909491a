import type { BuildConfigObject } from '../../../api/buildconfig';
import {
  COMMIT_PATTERN, DEFAULT_HISTORY_LIMIT, IMAGE_BY_DIGEST_PATTERN, type ImageStreamStatus, type NamedTagEventList, type TagEvent,
} from '../../../api/imagestream';
import type { KubeClient } from '../../kube/client';
import { withNewest } from '../../imagestreams/merge-status';
import { imageStreams, StreamNotFoundError, type StreamObject } from '../../imagestreams/streams';
import { readStream, writeStatus } from '../../imagestreams/write-status';
import { accessDeniedMessage, mayAccess } from '../../../api/grants';
import { tagInput } from './image-inputs';
import { runResult, type PipelineRun } from '../../../api/pipeline-run';

export type OutputOutcome =
  | { readonly kind: 'recorded'; readonly reference: string; readonly tag: string }
  /** This run's item is there already (a repeat after a restart). */
  | { readonly kind: 'already'; readonly reference: string; readonly tag: string }
  /** The tag is paused (rolled back): a build does not move it. */
  | { readonly kind: 'paused'; readonly reference: string; readonly tag: string }
  /** Nothing to record: an image output, or a run without a usable IMAGE_DIGEST, or no stream. */
  | { readonly kind: 'skipped'; readonly message: string };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Records a successful run's IMAGE_DIGEST as the newest item of the BuildConfig's output stream
 * tag, `imageRepository@digest`, with the importer's optimistic status write. Safe to repeat: an
 * item for this digest recorded at or after the run's completion is this run's.
 */
export async function recordOutput(kube: KubeClient, bc: BuildConfigObject, run: PipelineRun, now: () => Date = () => new Date()): Promise<OutputOutcome> {
  const to = bc.spec.output?.to;
  if (!to) return { kind: 'skipped', message: 'the BuildConfig has no output: the image was built and not pushed' };
  if (to.kind !== 'ImageStreamTag') return { kind: 'skipped', message: `output ${to.name} is an image, not a stream tag` };
  const digest = runResult(run, 'IMAGE_DIGEST');
  if (!digest || !DIGEST.test(digest)) return { kind: 'skipped', message: `result IMAGE_DIGEST (${JSON.stringify(digest ?? null)}) is not a sha256 digest` };
  const out = tagInput(to, bc.metadata.namespace ?? 'default');
  const streams = imageStreams(kube, out.namespace);
  const label = `${out.namespace}/${out.stream}:${out.tag}`;
  try {
    const first = planRecord(await readStream(streams, out.stream), out.reader, out.tag, digest, run);
    if (first.kind === 'denied') return { kind: 'skipped', message: first.reference };
    if (first.kind !== 'record') return { kind: first.kind, reference: first.reference, tag: label };
    const at = now().toISOString();
    const built = provenanceOf(run, bc.metadata.namespace ?? 'default');
    const written = await writeStatus(streams, out.stream, (fresh) => {
      const plan = planRecord(fresh, out.reader, out.tag, digest, run);
      return { status: plan.kind === 'record' ? withItem(fresh, out.tag, plan.reference, digest, at, built) : fresh.status ?? {}, plan };
    });
    const { kind, reference } = written.computed.plan;
    if (kind === 'denied') return { kind: 'skipped', message: reference };
    return { kind: kind === 'record' ? 'recorded' : kind, reference, tag: label };
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { kind: 'skipped', message: `output stream ${out.namespace}/${out.stream} not found` };
    throw error;
  }
}

/** What to do with the stream; for `denied`, `reference` holds why (the stream grants no Push to the builder's namespace). */
type RecordPlan = { kind: 'record' | 'already' | 'paused' | 'denied'; reference: string };

function planRecord(stream: StreamObject, builder: string, tag: string, digest: string, run: PipelineRun): RecordPlan {
  if (!mayAccess(stream, builder, 'Push')) return { kind: 'denied', reference: accessDeniedMessage(stream, builder, 'Push') };
  const reference = `${repositoryOf(stream, run)}@${digest}`;
  if (stream.spec.tags?.find((t) => t.name === tag)?.importPolicy?.paused) return { kind: 'paused', reference };
  const items = stream.status?.tags?.find((t) => t.tag === tag)?.items ?? [];
  const completed = Date.parse(run.status?.completionTime ?? '') || Number.POSITIVE_INFINITY;
  const mine = (item: TagEvent) => item.image === digest && (item === items[0] || Date.parse(item.created) >= completed);
  return { kind: items.some(mine) ? 'already' : 'record', reference };
}

/** Where the build pushed: the stream's imageRepository, else the IMAGE_URL result without its tag. */
function repositoryOf(stream: StreamObject, run: PipelineRun): string {
  if (stream.spec.imageRepository) return stream.spec.imageRepository;
  const url = runResult(run, 'IMAGE_URL') ?? '';
  return url.replace(/@.*$/, '').replace(/:[^:/]+$/, '');
}

/** What the history item of a build records of it: the run, and (when its results say them validly) the commit and the base. */
type Provenance = Pick<TagEvent, 'build' | 'commit' | 'baseImage'>;

function provenanceOf(run: PipelineRun, namespace: string): Provenance {
  const commit = runResult(run, 'COMMIT');
  const baseImage = runResult(run, 'BASE_IMAGE');
  return {
    build: `${run.metadata.namespace ?? namespace}/${run.metadata.name}`,
    ...(commit && new RegExp(COMMIT_PATTERN).test(commit) ? { commit } : {}),
    ...(baseImage && new RegExp(IMAGE_BY_DIGEST_PATTERN).test(baseImage) ? { baseImage } : {}),
  };
}

function withItem(stream: StreamObject, tag: string, reference: string, digest: string, now: string, built: Provenance): ImageStreamStatus {
  const lists = [...(stream.status?.tags ?? [])];
  const at = lists.findIndex((t) => t.tag === tag);
  const current: NamedTagEventList = at === -1 ? { tag } : lists[at];
  const merged = withNewest(current.items ?? [], { image: digest, dockerImageReference: reference }, {
    now, limit: stream.spec.historyLimit ?? DEFAULT_HISTORY_LIMIT, generation: stream.metadata.generation,
  });
  // A new item is this build's; the same image as the newest (a reproducible rebuild) keeps the first build's record.
  const items = merged[0] && merged[0] !== current.items?.[0] ? [{ ...merged[0], ...built }, ...merged.slice(1)] : merged;
  if (at === -1) lists.push({ tag, items });
  else lists[at] = { ...current, items };
  return { ...stream.status, tags: lists };
}
