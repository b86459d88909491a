import type { BuildConfigObject } from '../../../api/buildconfig';
import type { ImageStreamObject } from '../../../api/imagestream';
import type { KubeClient, ResourceClient } from '../../kube/client';
import { ConflictError, NotFoundError } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Informer } from '../../machinery/informer';
import type { Logger } from '../../machinery/logger';
import { objectKey } from '../../machinery/object-store';
import type { ReconcileResult, Reconciler, SetupContext } from '../../machinery/reconciler';
import { aliasTargets } from '../triggers/resolve-tag';
import { describeCause, imageAnnotations, parseCause, triggeredImage } from '../../../api/build-cause';
import { BUILDCONFIG_LABEL, buildNumber, CAUSE_ANNOTATION, numbered, REQUEST_ANNOTATION } from '../../../api/labels';
import { applyRun, currentState, type BuildState } from './build-state';
import { completeRuns } from './complete-runs';
import { Debouncer } from './debounce';
import { baseInput, resolveInput, streamsRead } from './image-inputs';
import { nextStatus } from './next-status';
import { pipelineRunFor } from '../../../api/build-run';
import type { PipelineRun } from '../../../api/pipeline-run';
import { baseForBuild, planBuild, resolveImageSources, resolveStages, specChangeDue, streamImageBaseFor, type BuildPlan, type PlannedBuild } from './plan-build';
import { strategyOf } from '../../../api/build-spec';
import { streamImageRef } from '../../../api/stream-image';
import type { StreamLookup } from '../triggers/resolve-tag';
import { buildTarget } from './build-target';
import type { BuildTarget } from '../../../api/build-pipeline/plan';
import { embeddedPipelineSpec } from '../../../api/build-pipeline/pipeline';
import type { StreamRegistryDefaults } from '../../../api/repository-path';
import type { ImageMirror } from '../../../api/image-mirror';
import { runsToPrune } from './prune';
import { admissions, startsPending } from './run-policy';
import { buildForRequest, consumeRequest, replayedBuild, requestedRevision } from './requests';
import { admitRun, cancelRun, deleteRun } from './run-writes';
import { isBuildOf, sortRuns } from './run-ownership';
import { BUILDCONFIGS, IMAGESTREAMS, PIPELINERUNS } from '../../../api/group';
import { streamInformer } from '../../caches/informers';

type BuildConfig = BuildConfigObject & KubeObject;
type Blocked = { readonly reason: string; readonly message: string };
type Stream = ImageStreamObject & KubeObject;

export interface BuildConfigReconcilerOptions {
  /** Image changes within this window make one build. @default 10 */
  readonly debounceSeconds?: number;
  /** @default - the system clock */
  readonly now?: () => number;
  /** The System's registry: where streams without spec.imageRepository keep their images. @default - none */
  readonly streamRegistry?: StreamRegistryDefaults;
  /** The System's mirror of our default images, for embedded Pipelines. @default - none */
  readonly imageMirror?: ImageMirror;
}

const BY_STREAM = 'builds-stream';
/** Names of builds held by foreign objects skipped in a row before giving up. */
const MAX_SQUATTED = 10;
const BY_ALIAS_TARGET = 'builds-alias-target';

/**
 * Builds as Tekton PipelineRuns: starts them on image and config changes, admits them by run
 * policy, records successful builds' digests into the output tag, prunes old runs. Each reconcile
 * reads the BuildConfig and its runs fresh from the API server (numbers must never be reused on a
 * stale view); the caches only say what to reconcile and resolve stream tags.
 */
export class BuildConfigReconciler implements Reconciler {
  readonly name = 'buildconfigs';
  private streams!: Informer<Stream>;
  private buildConfigs!: Informer<BuildConfig>;
  private client!: KubeClient;
  private events!: EventRecorder;
  private log!: Logger;
  private readonly debouncer: Debouncer;
  /** Foreign runs already reported (by uid): one Event each per process. */
  private readonly reported = new Set<string>();
  private readonly now: () => number;
  private readonly streamRegistry?: StreamRegistryDefaults;
  private readonly imageMirror?: ImageMirror;

  constructor(options: BuildConfigReconcilerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.streamRegistry = options.streamRegistry;
    this.imageMirror = options.imageMirror;
    this.debouncer = new Debouncer(options.debounceSeconds ?? 10, this.now);
  }

  setup(ctx: SetupContext): void {
    ({ client: this.client, events: this.events, log: this.log } = ctx);
    this.buildConfigs = ctx.informer<BuildConfig>({ ...BUILDCONFIGS, indexes: { [BY_STREAM]: (bc) => streamsRead(bc) } });
    this.streams = streamInformer(ctx, { [BY_ALIAS_TARGET]: (s) => aliasTargets(s) });
    const runs = ctx.informer<PipelineRun>({ ...PIPELINERUNS, transform: slimRun });
    ctx.watch(this.buildConfigs, (bc) => [objectKey(bc)]);
    ctx.watch(runs, (run) => {
      const bc = run.metadata.labels?.[BUILDCONFIG_LABEL];
      return bc ? [`${run.metadata.namespace}/${bc}`] : [];
    });
    ctx.watch(this.streams, (stream, old) => (old && old !== stream && old.metadata.resourceVersion === stream.metadata.resourceVersion ? [] : this.readers(stream)));
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/');
    const bc = await this.read(namespace, name);
    if (!bc || bc.metadata.deletionTimestamp) return void this.debouncer.close(key);
    const runClient = this.client.resource<PipelineRun>({ ...PIPELINERUNS, namespace });
    const listed = (await runClient.list({ labelSelector: `${BUILDCONFIG_LABEL}=${name}` })).items.filter((r) => !r.metadata.deletionTimestamp);
    const target = this.targetOf(bc);
    const { builds, requests, foreign } = sortRuns(bc, listed, target && embeddedPipeline(bc, target));
    await this.reportForeign(bc, foreign);
    const state = currentState(bc, numbered(builds));
    let runs = await this.buildRequests(runClient, bc, state, builds, requests, target);
    const started = await this.maybeStart(key, bc, state, runs, runClient, target);
    if (started.run) runs = [...runs, started.run];
    runs = await completeRuns({ client: this.client, runs: runClient, events: this.events, log: this.log }, bc, runs);
    await this.admit(bc, runs, runClient);
    await this.writeStatus(bc, state, runs, started.deferred, started.blocked, target?.image);
    for (const run of runsToPrune(bc.spec, numbered(runs))) await deleteRun(runClient, run);
    return started.requeueAfterMs !== undefined ? { requeueAfterMs: started.requeueAfterMs } : undefined;
  }

  async giveUp(key: string, error: unknown): Promise<void> {
    const [namespace, name] = key.split('/');
    const bc = this.buildConfigs.get(namespace, name);
    if (bc) await this.events.record(bc, 'Warning', 'BuildControllerFailed', `could not reconcile builds: ${error instanceof Error ? error.message : String(error)}`);
  }

  private async read(namespace: string, name: string): Promise<BuildConfig | undefined> {
    try {
      return await this.client.resource<BuildConfig>({ ...BUILDCONFIGS, namespace }).get(name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The streams as the cache has them; but the stream of a base that is one image of its history
   * (ImageStreamImage) read fresh, since the cache keeps only each tag's newest item.
   */
  private async lookupFor(bc: BuildConfig): Promise<StreamLookup> {
    const cached: StreamLookup = (ns, n) => this.streams.get(ns, n);
    const from = strategyOf(bc.spec.strategy ?? {})?.from;
    const ref = from?.kind === 'ImageStreamImage' ? streamImageRef(from, bc.metadata.namespace ?? 'default') : undefined;
    if (!ref) return cached;
    let fresh: Stream | undefined;
    try {
      fresh = await this.client.resource<Stream>({ ...IMAGESTREAMS, namespace: ref.namespace }).get(ref.stream);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    return (ns, n) => (ns === ref.namespace && n === ref.stream ? fresh : cached(ns, n));
  }

  /** For a BuildConfig without a Pipeline: what its embedded Pipeline needs beyond the spec (where to push). */
  private targetOf(bc: BuildConfig): (BuildTarget & { reason?: string }) | undefined {
    return bc.spec.pipelineRef ? undefined : buildTarget(bc, (ns, n) => this.streams.get(ns, n), this.streamRegistry, this.imageMirror);
  }

  /** Turns requests (pending runs from webhooks, the git poller, start-build) into builds, oldest first. */
  private async buildRequests(runClient: ResourceClient<PipelineRun>, bc: BuildConfig, state: BuildState, builds: PipelineRun[], requests: PipelineRun[], target: (BuildTarget & { reason?: string }) | undefined): Promise<PipelineRun[]> {
    const out = [...builds];
    if (requests.length > 0 && target?.reason) {
      await this.events.record(bc, 'Warning', 'NoBuildTarget', `cannot build: ${target.reason}`);
      return out;
    }
    const lookup = requests.length > 0 ? await this.lookupFor(bc) : undefined;
    const input = lookup && baseInput(bc);
    const resolved = input && resolveInput(lookup, input);
    // The trigger bookkeeping counts the image at its pull address; the build pulls it where build pods reach it.
    const base = input && resolved?.ok ? { key: input.key, image: resolved.image, buildImage: baseForBuild(bc, resolved) }
      : lookup ? streamImageBaseFor(bc, lookup) : undefined;
    const stages = lookup ? resolveStages(bc, lookup) : undefined;
    const stageImages = stages?.ok ? stages.images : undefined;
    const sources = lookup ? resolveImageSources(bc, lookup) : undefined;
    const inputs = { stageImages, imageSources: sources?.ok ? sources.images : undefined };
    for (const request of requests) {
      const build = await this.buildRequested(runClient, bc, state, request, out, base, inputs, target);
      if (build) out.push(build);
    }
    return out;
  }

  /** Runs with the BuildConfig's label that it did not make: a Warning Event, once per run and process. */
  private async reportForeign(bc: BuildConfig, foreign: readonly PipelineRun[]): Promise<void> {
    for (const run of foreign) {
      if (this.reported.has(run.metadata.uid!)) continue;
      this.reported.add(run.metadata.uid!);
      await this.events.record(bc, 'Warning', 'ForeignRun', `PipelineRun ${run.metadata.name} carries this BuildConfig's label but was not made by the controller (no ownerReference to it, or not its Pipeline): ignored, never counted or recorded`);
    }
  }

  /** The build a request asks for (made once, even across a crash), and the request marked consumed. */
  private async buildRequested(
    runClient: ResourceClient<PipelineRun>, bc: BuildConfig, state: BuildState, request: PipelineRun, builds: PipelineRun[],
    base: { key?: string; image: string; buildImage: string } | undefined,
    inputs: { stageImages?: Readonly<Record<string, string>>; imageSources?: Readonly<Record<string, string>> }, target: BuildTarget | undefined,
  ): Promise<PipelineRun | undefined> {
    const made = builds.find((b) => b.metadata.annotations?.[REQUEST_ANNOTATION] === request.metadata.name);
    if (made) return void (await consumeRequest(runClient, request, made));
    const replayed = replayedBuild(request, builds);
    if (replayed) {
      await this.events.record(bc, 'Warning', 'WebhookReplayed', `request ${request.metadata.name} asks again for commit ${requestedRevision(request)}, which build ${replayed.metadata.name} was made for within the hour: nothing built (start-build builds it on purpose)`);
      return void (await consumeRequest(runClient, request, replayed));
    }
    try {
      requestedRevision(request);
    } catch (error) {
      await this.events.record(bc, 'Warning', 'InvalidBuildRequest', `${(error as Error).message}: deleted, nothing built`);
      return void (await deleteRun(runClient, request));
    }
    const { run: build, n } = await this.createRun(runClient, bc, (at) => buildForRequest(bc, request, at, { base, ...inputs, pending: true, ...(target ? { target } : {}) }), state.lastVersion + 1);
    applyRun(state, build, n);
    await consumeRequest(runClient, request, build);
    this.log.log('info', 'build requested', { request: request.metadata.name, run: build.metadata.name, cause: describeCause(parseCause(build.metadata.annotations), bc.metadata.namespace ?? 'default') });
    return build;
  }

  /** Starts the build that is due, unless its image change is still in the debounce window. */
  private async maybeStart(
    key: string, bc: BuildConfig, state: BuildState, runs: PipelineRun[], runClient: ResourceClient<PipelineRun>, target: (BuildTarget & { reason?: string }) | undefined,
  ): Promise<{ run?: PipelineRun; requeueAfterMs?: number; deferred: boolean; blocked?: Blocked }> {
    const planned = planBuild(bc, state, runs.length > 0, await this.lookupFor(bc));
    const plan: BuildPlan = planned.kind === 'build' && target?.reason ? { kind: 'blocked', reason: 'NoBuildTarget', message: target.reason } : planned;
    if (plan.kind === 'none') return this.debouncer.close(key), { deferred: false };
    if (plan.kind === 'blocked') {
      if (plan.reason !== 'WaitingForImage') await this.events.record(bc, 'Warning', plan.reason, `cannot start a build: ${plan.message}`);
      return { deferred: specChangeDue(bc, state), blocked: plan };
    }
    const waitMs = plan.imageChange ? this.debouncer.remainingMs(key, bc) : 0;
    if (waitMs > 0) return { requeueAfterMs: waitMs, deferred: specChangeDue(bc, state) };
    const run = await this.create(bc, state, plan, runs, runClient, target);
    this.debouncer.close(key);
    return { run, deferred: false };
  }

  private async create(bc: BuildConfig, state: BuildState, plan: PlannedBuild, runs: PipelineRun[], runClient: ResourceClient<PipelineRun>, target: BuildTarget | undefined): Promise<PipelineRun> {
    const namespace = bc.metadata.namespace ?? 'default';
    const make = (n: number) => pipelineRunFor(bc, plan.cause, {
      naming: { number: n },
      baseImage: plan.baseImage,
      stageImages: plan.stageImages,
      imageSources: plan.imageSources,
      pending: startsPending(bc.spec.runPolicy ?? 'Serial', numbered(runs)),
      annotations: plan.triggered ? imageAnnotations(plan.triggered.key, plan.triggered.image) : {},
      ...(target ? { target } : {}),
    });
    const { run, n } = await this.createRun(runClient, bc, make, state.lastVersion + 1);
    applyRun(state, run, n);
    this.log.log('info', 'build started', { run: run.metadata.name, cause: describeCause(plan.cause, namespace), baseImage: plan.baseImage });
    return run;
  }

  /**
   * Creates build `n` (or the next free number when someone else's object holds the name: it can't
   * block builds); one created by an earlier attempt whose answer was lost is the same build, if for
   * the same cause. Returns the run and its number.
   */
  private async createRun(runClient: ResourceClient<PipelineRun>, bc: BuildConfig, make: (n: number) => PipelineRun, n: number): Promise<{ run: PipelineRun; n: number }> {
    for (let attempt = 0; ; attempt++, n++) {
      const object = make(n);
      try {
        return { run: await runClient.create(object), n };
      } catch (error) {
        if (!(error instanceof ConflictError && error.alreadyExists)) throw error;
      }
      const run = await runClient.get(object.metadata.name!);
      const target = this.targetOf(bc);
      if (isBuildOf(bc, run, target && embeddedPipeline(bc, target)) && buildNumber(run) === n) {
        if (!sameCause(run, object)) throw new Error(`PipelineRun ${object.metadata.name} exists with another cause; build number ${n} is taken`);
        return { run, n };
      }
      if (attempt >= MAX_SQUATTED) throw new Error(`PipelineRuns ${object.metadata.name} and the ${MAX_SQUATTED} before it exist but are not builds of this BuildConfig`);
      this.log.log('info', 'build name taken by a foreign object, skipping the number', { run: object.metadata.name });
    }
  }

  private async admit(bc: BuildConfig, runs: PipelineRun[], runClient: ResourceClient<PipelineRun>): Promise<void> {
    const { admit, cancel } = admissions(bc.spec.runPolicy ?? 'Serial', numbered(runs));
    for (const run of cancel) {
      await cancelRun(runClient, run);
      this.log.log('info', 'build superseded', { run: run.metadata.name });
    }
    for (const run of admit) {
      await admitRun(runClient, run);
      this.log.log('info', 'build admitted', { run: run.metadata.name });
    }
  }

  /** Writes lastVersion, trigger images, the BuildSucceeded condition and observedGeneration, if changed. */
  private async writeStatus(bc: BuildConfig, state: BuildState, runs: PipelineRun[], deferred: boolean, blocked: Blocked | undefined, outputImage: string | undefined): Promise<void> {
    const status = nextStatus(bc, state, numbered(runs), { deferred, blocked, now: new Date(this.now()), ...(outputImage ? { outputImage } : {}) });
    if (JSON.stringify(status) === JSON.stringify(bc.status ?? {})) return;
    await this.client.resource<BuildConfig>({ ...BUILDCONFIGS, namespace: bc.metadata.namespace }).updateStatus({ ...bc, status });
  }

  /** BuildConfigs reading a tag of this stream, directly or through alias tags of other streams. */
  private readers(stream: KubeObject): string[] {
    const keys: string[] = [];
    const pending = [objectKey(stream)];
    for (const seen = new Set(pending); pending.length > 0; ) {
      const at = pending.pop()!;
      for (const bc of this.buildConfigs.store.byIndex(BY_STREAM, at)) keys.push(objectKey(bc));
      for (const alias of this.streams.store.byIndex(BY_ALIAS_TARGET, at)) {
        const next = objectKey(alias);
        if (!seen.has(next)) seen.add(next), pending.push(next);
      }
    }
    return keys;
  }
}

function sameCause(existing: PipelineRun, wanted: PipelineRun): boolean {
  const a = existing.metadata.annotations ?? {};
  const b = wanted.metadata.annotations ?? {};
  return JSON.stringify(triggeredImage(a)) === JSON.stringify(triggeredImage(b)) && Object.entries(causeAnnotationsOf(b)).every(([k, v]) => a[k] === v);
}

function causeAnnotationsOf(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith(CAUSE_ANNOTATION)));
}

/** Runs without the BuildConfig label are cached as identity only. */
function slimRun(run: PipelineRun): PipelineRun {
  const { name, namespace, uid, resourceVersion, labels } = run.metadata;
  if (labels?.[BUILDCONFIG_LABEL]) return { ...run, metadata: { ...run.metadata, managedFields: undefined } };
  return { apiVersion: run.apiVersion, kind: run.kind, metadata: { name, namespace, uid, resourceVersion }, spec: {} };
}

/** The Pipeline the controller embeds in the runs of a BuildConfig that names none. */
function embeddedPipeline(bc: BuildConfig, target: BuildTarget) {
  return embeddedPipelineSpec(bc.spec, target);
}
