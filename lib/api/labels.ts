import { API_GROUP } from './group';
import type { PipelineRun } from './pipeline-run';

/*
 * The labels and annotations of this project, every one under the API group: mostly those on a
 * build's PipelineRun, how the constructs (webhook and git-poll templates), `start-build` and the
 * controller agree on what a run is and why it started.
 */

/** An import Job's pod carries its stream's name here. */
export const STREAM_LABEL = `${API_GROUP}/stream`;
/** Every run of a BuildConfig carries its name here; runs created by others (webhooks, start-build) too. */
export const BUILDCONFIG_LABEL = `${API_GROUP}/buildconfig`;
/** The build number, set by the controller (its own runs at creation, others' when it first sees them). */
export const BUILD_NUMBER_LABEL = `${API_GROUP}/build-number`;
/** Set on a finished run once its outcome was recorded (output tag moved, condition and Event written). */
export const COMPLETION_ANNOTATION = `${API_GROUP}/completion`;
/** Per-BuildConfig override of the controller's --debounce-seconds. */
export const DEBOUNCE_ANNOTATION = `${API_GROUP}/debounce-seconds`;

/** Why the run exists: ImageChange, ConfigChange, Manual, Webhook, GitPoll (or a webhook type, as OpenShift names them). */
export const CAUSE_ANNOTATION = `${API_GROUP}/cause`;
/** ImageChange: the base by digest (what BASE_IMAGE was). */
export const CAUSE_IMAGE_ANNOTATION = `${API_GROUP}/cause-image`;
/** ImageChange: the trigger's tag, `namespace/stream:tag`. */
export const CAUSE_FROM_ANNOTATION = `${API_GROUP}/cause-from`;
/** ConfigChange: the BuildConfig generation built. */
export const CAUSE_GENERATION_ANNOTATION = `${API_GROUP}/cause-generation`;
/** Webhook, GitPoll or Manual: the full commit SHA that REVISION names. */
export const COMMIT_ANNOTATION = `${API_GROUP}/commit`;
/** The ref that moved, e.g. refs/heads/main (webhooks, git poll). */
export const REF_ANNOTATION = `${API_GROUP}/ref`;
/** The repository URL the git host reported (webhooks only; informational: builds clone the BuildConfig's URL). */
export const REPOSITORY_ANNOTATION = `${API_GROUP}/repository`;
/** Who pushed, as the git host names them (webhooks only). */
export const PUSHER_ANNOTATION = `${API_GROUP}/pusher`;
/** The webhook flavour that reported the push: a WebhookType (webhooks only). */
export const WEBHOOK_TYPE_ANNOTATION = `${API_GROUP}/webhook-type`;
/** On a build made from a request: the request's name. */
export const REQUEST_ANNOTATION = `${API_GROUP}/request`;
/** On a request the controller has turned into a build: that build's run name. */
export const BUILD_ANNOTATION = `${API_GROUP}/build`;
/** Who asked for a manual build, when known. */
export const REQUESTED_BY_ANNOTATION = `${API_GROUP}/requested-by`;

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
