/**
 * What image and build pruning keep, as `oc adm prune images` and `oc adm prune builds` decide it:
 * the CLI's `imagestreams prune` and the controller's own pruning of PipelineRuns share these rules.
 */
import { DEFAULT_FAILED_BUILDS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT, type BuildConfigSpec } from './buildconfig';
import type { TagEvent } from './imagestream';
import { COMPLETION_ANNOTATION } from './labels';
import { runPhase, type PipelineRun } from './pipeline-run';

/** `oc adm prune images --keep-tag-revisions`: the newest N items of every tag's history stay. */
export const DEFAULT_KEEP_TAG_REVISIONS = 3;
/** `oc adm prune images|builds --keep-younger-than`: nothing recorded or finished in the last 60 minutes goes. */
export const DEFAULT_KEEP_YOUNGER_THAN_MS = 60 * 60 * 1000;

export interface ImageKeepPolicy {
  /** Items of a tag's history kept, newest first (>= 0). */
  readonly keepTagRevisions: number;
  /** Items recorded less than this long ago are kept whatever their position. */
  readonly keepYoungerThanMs: number;
  /** Now, in epoch milliseconds. */
  readonly now: number;
}

/**
 * Whether a tag's history item at `index` (0 = newest) is kept: among the newest `keepTagRevisions`,
 * or recorded within `keepYoungerThanMs`. An item whose time can't be read counts as young: when in
 * doubt, nothing is deleted.
 */
export function keepsHistoryItem(item: Pick<TagEvent, 'created'>, index: number, policy: ImageKeepPolicy): boolean {
  if (index < policy.keepTagRevisions) return true;
  const created = Date.parse(item.created);
  return Number.isNaN(created) || policy.now - created < policy.keepYoungerThanMs;
}

/** A manifest of a registry, named by its repository path (no host) and digest: `team/app@sha256:…`. */
export const manifestKey = (repository: string, digest: string) => `${repository}@${digest}`;

export interface BuildPrunePolicy {
  /** @default - the BuildConfig's successfulBuildsHistoryLimit (5) */
  readonly keepComplete?: number;
  /** @default - the BuildConfig's failedBuildsHistoryLimit (5) */
  readonly keepFailed?: number;
  /** Runs finished less than this long ago are kept. @default 0 (the controller's rule) */
  readonly keepYoungerThanMs?: number;
  /** Now, in epoch milliseconds (with keepYoungerThanMs). */
  readonly now?: number;
}

/**
 * Finished runs beyond the history limits, oldest first: successful and failed ones counted
 * separately, as OpenShift does. Runs whose outcome the controller has not recorded yet (no
 * completion annotation) are kept until it has, and so are runs finished within keepYoungerThanMs.
 * `runs` are by build number, ascending.
 */
export function runsToPrune(
  spec: Pick<BuildConfigSpec, 'successfulBuildsHistoryLimit' | 'failedBuildsHistoryLimit'>,
  runs: readonly { run: PipelineRun; n: number }[],
  policy: BuildPrunePolicy = {},
): PipelineRun[] {
  const limits = {
    succeeded: policy.keepComplete ?? spec.successfulBuildsHistoryLimit ?? DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
    failed: policy.keepFailed ?? spec.failedBuildsHistoryLimit ?? DEFAULT_FAILED_BUILDS_HISTORY_LIMIT,
  };
  const prune: PipelineRun[] = [];
  for (const phase of ['succeeded', 'failed'] as const) {
    const finished = runs.filter((r) => runPhase(r.run) === phase && r.run.metadata.annotations?.[COMPLETION_ANNOTATION]);
    const beyond = finished.slice(0, Math.max(0, finished.length - limits[phase])).map((r) => r.run);
    prune.push(...beyond.filter((run) => !finishedWithin(run, policy)));
  }
  return prune;
}

/** Whether the run finished within keepYoungerThanMs of now (a run without a finish time counts as young). */
function finishedWithin(run: PipelineRun, policy: BuildPrunePolicy): boolean {
  const window = policy.keepYoungerThanMs ?? 0;
  if (window <= 0) return false;
  const finished = Date.parse(run.status?.completionTime ?? '');
  return Number.isNaN(finished) || (policy.now ?? Date.now()) - finished < window;
}
