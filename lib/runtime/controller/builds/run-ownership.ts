import { buildNumber } from '../../../api/labels';
import type { BuildConfigObject } from '../../../api/buildconfig';
import type { PipelineSpec } from '../../../api/tekton';
import { CANCELLED, type PipelineRun } from '../../../api/pipeline-run';
import { isRequest } from './requests';

/** A BuildConfig's runs, sorted out by who made them. */
export interface SortedRuns {
  /** Builds this controller made: numbered, controlled by the BuildConfig (its uid), running its Pipeline. */
  readonly builds: PipelineRun[];
  /** Requests for builds (webhooks, the git poller, start-build), oldest first. */
  readonly requests: PipelineRun[];
  /** Anything else that carries the BuildConfig's label: never counted, recorded or admitted. */
  readonly foreign: PipelineRun[];
}

/**
 * Sorts the runs labelled with the BuildConfig. The label says nothing about who made a run —
 * whoever may create PipelineRuns in the namespace can set it — so a build counts only when the
 * BuildConfig controls it (ownerReference with its uid, which the controller sets) and it runs the
 * BuildConfig's Pipeline by reference. Requests count only as requests: the controller makes the build.
 */
export function sortRuns(bc: BuildConfigObject & { metadata: { uid?: string } }, runs: readonly PipelineRun[], expected?: PipelineSpec): SortedRuns {
  const sorted: SortedRuns = { builds: [], requests: [], foreign: [] };
  for (const run of runs) {
    if (buildNumber(run) === undefined && run.spec.status?.startsWith(CANCELLED)) continue; // a request cancelled before it was built
    if (buildNumber(run) === undefined && isRequest(run)) sorted.requests.push(run);
    else if (buildNumber(run) !== undefined && isBuildOf(bc, run, expected)) sorted.builds.push(run);
    else sorted.foreign.push(run);
  }
  sorted.requests.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!));
  return sorted;
}

/**
 * Whether the BuildConfig controls the run and the run runs the BuildConfig's Pipeline: by reference
 * (no embedded spec), or — a BuildConfig that names none — embedded, with the tasks and results the
 * spec makes (`expected`: the Pipeline the controller would embed now). Params may differ, as a
 * run's params may for a referenced Pipeline: the steps are what must be ours.
 */
export function isBuildOf(bc: BuildConfigObject & { metadata: { uid?: string } }, run: PipelineRun, expected?: PipelineSpec): boolean {
  const controlled = run.metadata.ownerReferences?.some((o) => o.controller && o.kind === bc.kind && o.name === bc.metadata.name && !!bc.metadata.uid && o.uid === bc.metadata.uid);
  if (!controlled) return false;
  if (bc.spec.pipelineRef) return run.spec.pipelineSpec === undefined && run.spec.pipelineRef?.name === bc.spec.pipelineRef.name;
  return run.spec.pipelineRef === undefined && !!run.spec.pipelineSpec && !!expected && samePipelineSteps(run.spec.pipelineSpec, expected);
}

/**
 * The same tasks running the same steps (name, image, command, args, script), in order. Only these
 * are compared: Tekton's admission fills defaults into the embedded specs the API server stores.
 */
function samePipelineSteps(a: PipelineSpec, b: PipelineSpec): boolean {
  const steps = (p: PipelineSpec) => JSON.stringify(p.tasks.map((t) => [t.name, (t.taskSpec?.steps ?? []).map((s) => [s.name, s.image, s.command ?? [], s.args ?? [], s.script ?? ''])]));
  return steps(a) === steps(b);
}
