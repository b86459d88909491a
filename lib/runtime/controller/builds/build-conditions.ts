import type { BuildConfigCondition } from '../../../api/buildconfig';
import { runName } from '../../../api/labels';
import { CANCELLED, runPhase, succeededCondition, type PipelineRun } from '../../../api/pipeline-run';

/** Reflects the newest finished build: True when it succeeded, False with Tekton's reason when not. */
export const BUILD_SUCCEEDED = 'BuildSucceeded';

/** The condition for the newest finished run (cancelled runs don't count), if any. */
export function buildSucceededCondition(bcName: string, runs: readonly { run: PipelineRun; n: number }[]): Omit<BuildConfigCondition, 'lastTransitionTime'> | undefined {
  const finished = runs.filter((r) => {
    const phase = runPhase(r.run);
    return phase === 'succeeded' || (phase === 'failed' && !isCancelled(r.run));
  });
  const newest = finished.at(-1);
  if (!newest) return undefined;
  const name = runName(bcName, newest.n);
  if (runPhase(newest.run) === 'succeeded') return { type: BUILD_SUCCEEDED, status: 'True', reason: 'Succeeded', message: `build ${name} succeeded` };
  const c = succeededCondition(newest.run);
  return { type: BUILD_SUCCEEDED, status: 'False', reason: c?.reason ?? 'Failed', message: `build ${name} failed${c?.message ? `: ${c.message}` : ''}` };
}

/** False while something outside the BuildConfig stops its builds (a base not imported yet, a stream missing or not granted). */
export const BUILDABLE = 'Buildable';

/** Buildable False with the reason while blocked; back to True once nothing blocks; not written before it is ever False. */
export function buildableCondition(conditions: readonly BuildConfigCondition[] | undefined, blocked: { reason: string; message: string } | undefined): Omit<BuildConfigCondition, 'lastTransitionTime'> | undefined {
  if (blocked) return { type: BUILDABLE, status: 'False', reason: blocked.reason, message: blocked.message };
  const current = conditions?.find((c) => c.type === BUILDABLE);
  return current && current.status !== 'True' ? { type: BUILDABLE, status: 'True', reason: 'Unblocked', message: 'nothing stops builds' } : undefined;
}

/** True while the spec uses a form OpenShift deprecates (an inline webhook secret, a legacy trigger spelling): which, and what to write. */
export const DEPRECATED = 'Deprecated';

/** Deprecated True with the warnings; False once they are gone; not written before there ever were any. */
export function deprecatedCondition(conditions: readonly BuildConfigCondition[] | undefined, warnings: readonly string[]): Omit<BuildConfigCondition, 'lastTransitionTime'> | undefined {
  if (warnings.length > 0) return { type: DEPRECATED, status: 'True', reason: 'DeprecatedFields', message: warnings.join('; ') };
  const current = conditions?.find((c) => c.type === DEPRECATED);
  return current && current.status !== 'False' ? { type: DEPRECATED, status: 'False', reason: 'NoDeprecatedFields', message: 'the spec uses no deprecated form' } : undefined;
}

/** A cancelled run (superseded by policy, or by hand) says nothing about whether builds work. */
export function isCancelled(run: PipelineRun): boolean {
  return !!run.spec.status?.startsWith(CANCELLED);
}

/** Replaces the condition of the same type; lastTransitionTime moves only when status does. */
export function withCondition(conditions: readonly BuildConfigCondition[], next: Omit<BuildConfigCondition, 'lastTransitionTime'>, now: string): BuildConfigCondition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime ?? now : now;
  return [...conditions.filter((c) => c.type !== next.type), { ...next, lastTransitionTime }];
}
