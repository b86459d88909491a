import type { PipelineRun } from './pipeline-run';

/** Every run of a BuildConfig carries its name here; runs created by others (webhooks, start-build) too. */
export const BUILDCONFIG_LABEL = 'imagestreams.dev/buildconfig';
/** The build number, set by the controller (its own runs at creation, others' when it first sees them). */
export const BUILD_NUMBER_LABEL = 'imagestreams.dev/build-number';
/** Set on a finished run once its outcome was recorded (output tag moved, condition and Event written). */
export const COMPLETION_ANNOTATION = 'imagestreams.dev/completion';
/** Per-BuildConfig override of the controller's --debounce-seconds. */
export const DEBOUNCE_ANNOTATION = 'imagestreams.dev/debounce-seconds';

/** The deterministic run name of build `n`: a retry or a restart can only find it, never make a second. */
export const runName = (buildConfig: string, n: number) => `${buildConfig}-${n}`;

/** The run's build number, or undefined when it has none (yet) or a malformed one. */
export function buildNumber(run: PipelineRun): number | undefined {
  const text = run.metadata.labels?.[BUILD_NUMBER_LABEL];
  const n = text !== undefined && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
  return n;
}

/** Runs by build number, ascending; unnumbered ones are left out. */
export function numbered(runs: readonly PipelineRun[]): { run: PipelineRun; n: number }[] {
  return runs.flatMap((run) => {
    const n = buildNumber(run);
    return n === undefined ? [] : [{ run, n }];
  }).sort((a, b) => a.n - b.n);
}
