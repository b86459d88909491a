import { imageAnnotations, parseCause, type RunCause } from '../../../api/build-cause';
import {
  BUILD_ANNOTATION, BUILDCONFIG_LABEL, PUSHER_ANNOTATION, REF_ANNOTATION, REPOSITORY_ANNOTATION, REQUEST_ANNOTATION, REQUESTED_BY_ANNOTATION, WEBHOOK_TYPE_ANNOTATION,
} from '../../../api/labels';
import { pipelineRunFor, type BuildConfigLike } from '../../../api/build-run';
import { triggersOf, webhookOf } from '../../../api/build-spec';
import type { BuildTarget } from '../../../api/build-pipeline/plan';
import { isVariableName, REVISION_PARAM, RUN_BUILD_ARGS_PARAM, RUN_ENV_PARAM, SOURCE_ARCHIVE_PARAM } from '../../../api/buildconfig';
import { decodeLiteral } from '../../../api/literal-params';
import { PENDING, type PipelineRun } from '../../../api/pipeline-run';
import type { ResourceClient } from '../../kube/client';

/*
 * Builds started outside the controller — a webhook delivery, the git poller, `start-build` — arrive
 * as requests: pending PipelineRuns labelled with the BuildConfig and unnumbered. Tekton refuses
 * any change to a run's spec but its status, so the controller never edits one: it makes the build
 * itself, with pipelineRunFor from the BuildConfig as it is now (the base by digest, the request's
 * commit and cause), and marks the request consumed. A request carries only what its sender may
 * choose — the commit and the cause's details, and for a start-build (cause Manual) the run's own env
 * and build args and its uploaded sources; its other params are not read.
 */

/** The annotations a build copies from its request: what the sender reported about the push. */
const REPORTED = [REF_ANNOTATION, PUSHER_ANNOTATION, REPOSITORY_ANNOTATION, WEBHOOK_TYPE_ANNOTATION, REQUESTED_BY_ANNOTATION];

export function isRequest(run: PipelineRun): boolean {
  return run.spec.status === PENDING && !run.metadata.annotations?.[BUILD_ANNOTATION];
}

/** A revision a request may ask for: a commit SHA or a ref, never something git would read as an option. */
export function requestedRevision(request: PipelineRun): string | undefined {
  const value = request.spec.params?.find((p) => p.name === REVISION_PARAM)?.value;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.startsWith('-') || /[\s\x00-\x1f]/.test(value)) throw new Error(`request ${request.metadata.name} asks for revision ${JSON.stringify(value)}, which is not a commit or a ref`);
  return value;
}

/** Build `n` for a request: its commit and cause, everything else from the BuildConfig's spec. */
export function buildForRequest(bc: BuildConfigLike, request: PipelineRun, n: number, options: { base?: { key?: string; image: string; buildImage?: string }; stageImages?: Readonly<Record<string, string>>; imageSources?: Readonly<Record<string, string>>; pending: boolean; target?: BuildTarget }): PipelineRun {
  const cause = parseCause(request.metadata.annotations) as RunCause;
  const reported = Object.fromEntries(REPORTED.flatMap((key) => {
    const value = request.metadata.annotations?.[key];
    return value === undefined ? [] : [[key, value]];
  }));
  return pipelineRunFor(bc, cause, {
    naming: { number: n },
    revision: requestedRevision(request),
    ...(cause.type === 'Manual' ? manualChoices(request) : {}),
    // A Generic webhook's payload env counts while the BuildConfig's Generic trigger allows it (OpenShift's allowEnv), read again here.
    ...(cause.type === 'Generic' && allowsEnv(bc) ? envChoice(manualChoices(request)) : {}),
    baseImage: options.base?.buildImage ?? options.base?.image,
    stageImages: options.stageImages,
    imageSources: options.imageSources,
    pending: options.pending,
    ...(options.target ? { target: options.target } : {}),
    annotations: { ...reported, [REQUEST_ANNOTATION]: request.metadata.name!, ...(options.base?.key ? imageAnnotations(options.base.key, options.base.image) : {}) },
  });
}

/**
 * Marks a request consumed by `build`: annotated with the build's name, no longer labelled with the
 * BuildConfig (so it counts as no build), and owned by the build (deleted when the build is pruned).
 * Kept meanwhile, so that the git poller's run named after a commit still says that commit was built.
 */
export function consumeRequest(runs: ResourceClient<PipelineRun>, request: PipelineRun, build: PipelineRun): Promise<PipelineRun> {
  return runs.mergePatch(request.metadata.name!, {
    metadata: {
      resourceVersion: request.metadata.resourceVersion,
      labels: { [BUILDCONFIG_LABEL]: null },
      annotations: { [BUILD_ANNOTATION]: build.metadata.name },
      ownerReferences: [{ apiVersion: build.apiVersion, kind: build.kind, name: build.metadata.name, uid: build.metadata.uid, blockOwnerDeletion: false }],
    },
  });
}

/** How long a webhook delivery of a commit counts as a replay of the one already built. */
export const REPLAY_WINDOW_MS = 60 * 60 * 1000;
const WEBHOOK_CAUSES = new Set(['Webhook', 'GitHub', 'GitLab', 'Bitbucket', 'Generic']);

/**
 * The build a webhook request repeats: one made from a webhook delivery of the same commit within
 * the replay window. A replayed delivery carries a valid signature (the signature covers the body,
 * not the time), so the commit is what tells a replay apart; a legitimate second push of the same
 * commit within the hour is the price (start-build builds it on demand).
 */
export function replayedBuild(request: PipelineRun, builds: readonly PipelineRun[]): PipelineRun | undefined {
  const cause = parseCause(request.metadata.annotations);
  if (!WEBHOOK_CAUSES.has(cause.type) || !('revision' in cause) || !cause.revision) return undefined;
  const at = Date.parse(request.metadata.creationTimestamp ?? '') || Date.now();
  return builds.find((build) => {
    const built = parseCause(build.metadata.annotations);
    const when = Date.parse(build.metadata.creationTimestamp ?? '');
    return WEBHOOK_CAUSES.has(built.type) && 'revision' in built && built.revision === cause.revision && Math.abs(at - when) <= REPLAY_WINDOW_MS;
  });
}

function allowsEnv(bc: BuildConfigLike): boolean {
  return triggersOf(bc.spec).some((t) => t.type === 'Generic' && webhookOf(t)?.allowEnv === true);
}

function envChoice(choices: ReturnType<typeof manualChoices>): { env?: Record<string, string> } {
  return choices.env ? { env: choices.env } : {};
}

/** What `start-build` may choose beyond the commit: RUN_ENV and RUN_BUILD_ARGS items, and SOURCE_ARCHIVE by digest. */
function manualChoices(request: PipelineRun): { env?: Record<string, string>; buildArgs?: Record<string, string>; sourceArchive?: string } {
  const param = (name: string) => request.spec.params?.find((p) => p.name === name)?.value;
  const items = (name: string): Record<string, string> | undefined => {
    const value = param(name);
    if (value === undefined) return undefined;
    const refused = () => new Error(`request ${request.metadata.name} has ${name} ${JSON.stringify(value)}, which is not a list of NAME=value items`);
    if (!Array.isArray(value)) throw refused();
    const out: Record<string, string> = {};
    for (const item of value.map(decodeLiteral)) {
      const eq = item.indexOf('=');
      if (eq < 1 || !isVariableName(item.slice(0, eq))) throw refused();
      out[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  };
  const archive = param(SOURCE_ARCHIVE_PARAM);
  if (archive !== undefined && (typeof archive !== 'string' || !/^[a-z0-9.:-]+(\/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}$/.test(archive))) {
    throw new Error(`request ${request.metadata.name} has ${SOURCE_ARCHIVE_PARAM} ${JSON.stringify(archive)}, which is not an image reference by digest`);
  }
  const env = items(RUN_ENV_PARAM);
  const buildArgs = items(RUN_BUILD_ARGS_PARAM);
  return { ...(env ? { env } : {}), ...(buildArgs ? { buildArgs } : {}), ...(archive ? { sourceArchive: archive } : {}) };
}
