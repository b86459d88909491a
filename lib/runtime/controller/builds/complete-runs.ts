import type { BuildConfigObject } from '../../../api/buildconfig';
import type { KubeClient, ResourceClient } from '../../kube/client';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Logger } from '../../machinery/logger';
import { isCancelled } from './build-conditions';
import { COMPLETION_ANNOTATION } from '../../../api/labels';
import { recordOutput } from './record-output';
import { runPhase, succeededCondition, type PipelineRun } from '../../../api/pipeline-run';

export interface CompletionContext {
  readonly client: KubeClient;
  readonly runs: ResourceClient<PipelineRun>;
  readonly events: EventRecorder;
  readonly log: Logger;
}

/**
 * Acts once on each finished run: a success moves the output tag to its digest (which fires the
 * next links: workloads, chained builds), a failure is reported as a Warning Event. The run is then
 * annotated as handled, so that a restart does neither again. Returns the runs as annotated.
 */
export async function completeRuns(ctx: CompletionContext, bc: BuildConfigObject & KubeObject, runs: readonly PipelineRun[]): Promise<PipelineRun[]> {
  const out: PipelineRun[] = [];
  for (const run of runs) {
    const phase = runPhase(run);
    if ((phase !== 'succeeded' && phase !== 'failed') || run.metadata.annotations?.[COMPLETION_ANNOTATION]) {
      out.push(run);
      continue;
    }
    const outcome = phase === 'succeeded' ? await onSuccess(ctx, bc, run) : await onFailure(ctx, bc, run);
    out.push(await ctx.runs.mergePatch(run.metadata.name!, { metadata: { resourceVersion: run.metadata.resourceVersion, annotations: { [COMPLETION_ANNOTATION]: outcome } } }));
  }
  return out;
}

async function onSuccess(ctx: CompletionContext, bc: BuildConfigObject & KubeObject, run: PipelineRun): Promise<string> {
  const name = run.metadata.name;
  const outcome = await recordOutput(ctx.client, bc, run);
  if (outcome.kind === 'recorded' || outcome.kind === 'already') {
    ctx.log.log('info', 'build output recorded', { run: name, tag: outcome.tag, image: outcome.reference });
    return 'OutputRecorded';
  }
  if (outcome.kind === 'paused') {
    await ctx.events.record(bc, 'Warning', 'OutputTagPaused', `build ${name} produced ${outcome.reference}, but ${outcome.tag} is paused (rolled back): the tag was not moved`);
    return 'OutputTagPaused';
  }
  if (bc.spec.output?.to?.kind === 'ImageStreamTag') await ctx.events.record(bc, 'Warning', 'OutputNotRecorded', `build ${name} succeeded, but its image was not recorded: ${outcome.message}`);
  return 'Succeeded';
}

async function onFailure(ctx: CompletionContext, bc: BuildConfigObject & KubeObject, run: PipelineRun): Promise<string> {
  if (isCancelled(run)) return 'Cancelled';
  const c = succeededCondition(run);
  await ctx.events.record(bc, 'Warning', 'BuildFailed', `build ${run.metadata.name} failed: ${c?.reason ?? 'Failed'}${c?.message ? `: ${c.message}` : ''}`);
  return 'Failed';
}
