import type { BuildConfigObject, BuildImageReference } from '../../../api/buildconfig';
import { parseCause, tagKey, tagOfKey, triggeredImage } from '../../../api/build-cause';
import type { PipelineRun } from '../../../api/pipeline-run';

export interface TriggerState {
  readonly from: BuildImageReference;
  lastTriggeredImage?: string;
  lastTriggerTime?: string;
}

/** What the BuildConfig has built so far: its status, caught up with the runs. */
export interface BuildState {
  lastVersion: number;
  /** By `namespace/stream:tag`. */
  readonly triggers: Map<string, TriggerState>;
  /** The newest generation a ConfigChange build (or the controller) acted on. */
  observedGeneration?: number;
}

/**
 * The status as written, advanced by runs numbered past its lastVersion. Those were created (or
 * numbered) by a controller that stopped before it wrote status; their numbers and causes are
 * the truth, so nothing is built twice and no number is skipped.
 */
export function currentState(bc: BuildConfigObject, runs: readonly { run: PipelineRun; n: number }[]): BuildState {
  const namespace = bc.metadata.namespace ?? 'default';
  const status = bc.status ?? {};
  const state: BuildState = {
    lastVersion: status.lastVersion ?? 0,
    triggers: new Map((status.imageChangeTriggers ?? []).map((t) => [tagKey(t.from, namespace), { ...t }])),
    observedGeneration: status.observedGeneration,
  };
  const written = state.lastVersion;
  for (const { run, n } of runs) {
    if (n <= written) continue;
    applyRun(state, run, n);
  }
  return state;
}

/** Counts run `n` into the state: its number, the image it was built from, the generation it built. */
export function applyRun(state: BuildState, run: PipelineRun, n: number): void {
  state.lastVersion = Math.max(state.lastVersion, n);
  const image = triggeredImage(run.metadata.annotations);
  const from = image && (state.triggers.get(image.fromKey)?.from ?? tagOfKey(image.fromKey));
  if (image && from) state.triggers.set(image.fromKey, { from, lastTriggeredImage: image.image, lastTriggerTime: run.metadata.creationTimestamp });
  const cause = parseCause(run.metadata.annotations);
  if (cause.type === 'ConfigChange') state.observedGeneration = Math.max(state.observedGeneration ?? 0, cause.generation);
}
