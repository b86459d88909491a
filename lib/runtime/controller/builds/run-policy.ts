import type { RunPolicy } from '../../../api/buildconfig';
import { runPhase, type PipelineRun } from '../../../api/pipeline-run';

export interface Admission {
  /** Pending runs to start (spec.status removed). */
  readonly admit: readonly PipelineRun[];
  /** Pending runs superseded by a newer one (SerialLatestOnly). */
  readonly cancel: readonly PipelineRun[];
}

/**
 * Which pending runs start now, given every numbered run of the BuildConfig (ascending by number).
 * Serial: the lowest-numbered pending one once none runs. SerialLatestOnly: only the newest pending
 * one survives, and starts once none runs. Parallel: all.
 */
export function admissions(policy: RunPolicy, runs: readonly { run: PipelineRun; n: number }[]): Admission {
  const pending = runs.filter((r) => runPhase(r.run) === 'pending').map((r) => r.run);
  const running = runs.some((r) => runPhase(r.run) === 'running');
  if (policy === 'Parallel') return { admit: pending, cancel: [] };
  if (policy === 'SerialLatestOnly') {
    const newest = pending.at(-1);
    return { admit: !running && newest ? [newest] : [], cancel: pending.slice(0, -1) };
  }
  return { admit: !running && pending.length > 0 ? [pending[0]] : [], cancel: [] };
}

/** A new run waits for admission when a policy other than Parallel has a build running or queued. */
export function startsPending(policy: RunPolicy, runs: readonly { run: PipelineRun }[]): boolean {
  if (policy === 'Parallel') return false;
  return runs.some((r) => ['pending', 'running'].includes(runPhase(r.run)));
}
