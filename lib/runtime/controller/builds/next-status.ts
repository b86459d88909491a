import type { BuildConfigObject, BuildConfigStatus } from '../../../api/buildconfig';
import { buildableCondition, buildSucceededCondition, deprecatedCondition, withCondition } from './build-conditions';
import { deprecationWarnings } from '../../../api/build-spec-warnings';
import type { BuildState } from './build-state';
import { imageChangeInputs } from './image-inputs';
import type { PipelineRun } from '../../../api/pipeline-run';

export interface NextStatusOptions {
  /** A spec change's build is waiting (debounce, base not imported): observedGeneration stays behind. */
  readonly deferred: boolean;
  /** Why no build can start now (base not imported, a stream not found or not granted), if so. */
  readonly blocked?: { readonly reason: string; readonly message: string };
  /** A BuildConfig without a Pipeline: where its builds push (undefined: they don't, or it has a Pipeline). */
  readonly outputImage?: string;
  readonly now: Date;
}

/**
 * The BuildConfig's status after a reconcile: lastVersion, one entry per ImageChange trigger with
 * the image it last built from, the BuildSucceeded condition of the newest finished build, Buildable,
 * Deprecated (forms OpenShift deprecates, with what to write instead), and observedGeneration. Other fields are kept as they are.
 */
export function nextStatus(bc: BuildConfigObject, state: BuildState, runs: readonly { run: PipelineRun; n: number }[], options: NextStatusOptions): BuildConfigStatus {
  const now = options.now.toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = buildSucceededCondition(bc.metadata.name, runs);
  let conditions = condition ? withCondition(bc.status?.conditions ?? [], condition, now) : bc.status?.conditions;
  const buildable = buildableCondition(conditions, options.blocked);
  if (buildable) conditions = withCondition(conditions ?? [], buildable, now);
  const deprecated = deprecatedCondition(conditions, deprecationWarnings(bc.spec));
  if (deprecated) conditions = withCondition(conditions ?? [], deprecated, now);
  const triggers = imageChangeInputs(bc).map((input) => {
    const seen = state.triggers.get(input.key);
    return dropUndefined({ from: input.ref, lastTriggeredImage: seen?.lastTriggeredImage, lastTriggerTime: seen?.lastTriggerTime });
  });
  const generation = Math.max(state.observedGeneration ?? 0, bc.metadata.generation ?? 0);
  return dropUndefined({
    ...bc.status,
    lastVersion: state.lastVersion,
    imageChangeTriggers: triggers.length > 0 ? triggers : undefined,
    conditions,
    observedGeneration: options.deferred ? state.observedGeneration : generation || undefined,
    outputDockerImageReference: options.outputImage,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
