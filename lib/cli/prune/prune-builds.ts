import { BUILDCONFIGS, PIPELINERUNS } from '../../api/group';
import { BUILDCONFIG_LABEL, COMPLETION_ANNOTATION, numbered } from '../../api/labels';
import { runPhase, type PipelineRun } from '../../api/pipeline-run';
import { runsToPrune } from '../../api/prune';
import type { KubeClient } from '../../runtime/kube/client';
import { NotFoundError } from '../../runtime/kube/errors';
import { pipelineRunsNotFound, type BuildConfigResource } from '../builds/resources';
import type { CliIO } from '../io';
import { formatTable } from '../table';

export interface PruneBuildsOptions {
  readonly confirm: boolean;
  readonly keepYoungerThanMs: number;
  readonly keepComplete?: number;
  readonly keepFailed?: number;
  readonly orphans: boolean;
  readonly allNamespaces: boolean;
}

/** Lists, and with `confirm` deletes, the PipelineRuns beyond their BuildConfig's history limits (oc adm prune builds). */
export async function pruneBuilds(kube: KubeClient, namespace: string, io: CliIO, options: PruneBuildsOptions): Promise<number> {
  const ns = options.allNamespaces ? undefined : namespace;
  let runs: PipelineRun[];
  try {
    runs = (await kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: ns }).listAll({ labelSelector: BUILDCONFIG_LABEL })).items;
  } catch (e) {
    if (e instanceof NotFoundError) throw pipelineRunsNotFound(e, namespace);
    throw e;
  }
  const buildConfigs = (await kube.resource<BuildConfigResource>({ ...BUILDCONFIGS, namespace: ns }).listAll()).items;
  const policy = { keepComplete: options.keepComplete, keepFailed: options.keepFailed, keepYoungerThanMs: options.keepYoungerThanMs, now: Date.now() };
  const prune: { run: PipelineRun; why: string }[] = [];
  for (const [key, group] of groupBy(runs, (r) => `${r.metadata.namespace}/${r.metadata.labels?.[BUILDCONFIG_LABEL]}`)) {
    const bc = buildConfigs.find((b) => `${b.metadata.namespace}/${b.metadata.name}` === key);
    if (bc) {
      prune.push(...runsToPrune(bc.spec, numbered(group), policy).map((run) => ({ run, why: `beyond the ${runPhase(run) === 'succeeded' ? 'successful' : 'failed'} history limit of ${key}` })));
    } else if (options.orphans) {
      // Its BuildConfig is gone: every finished run goes (the controller no longer records anything for it).
      const finished = numbered(group).filter(({ run }) => runPhase(run) === 'succeeded' || runPhase(run) === 'failed');
      const all = runsToPrune({ successfulBuildsHistoryLimit: 0, failedBuildsHistoryLimit: 0 }, finished.map((r) => withCompletion(r)), policy);
      prune.push(...all.map((run) => ({ run, why: `BuildConfig ${key} no longer exists` })));
    }
  }
  if (prune.length === 0) return io.stdout('Nothing to prune.\n'), 0;
  io.stdout(formatTable(['NAMESPACE', 'PIPELINERUN', 'STATUS', 'WHY'], prune.map(({ run, why }) => [run.metadata.namespace ?? '', run.metadata.name ?? '', runPhase(run) === 'succeeded' ? 'Complete' : 'Failed', why])));
  if (!options.confirm) return io.stdout(`Dry run: would delete ${prune.length} PipelineRuns. Pass --confirm to delete them.\n`), 0;
  for (const { run } of prune) {
    try {
      await kube.resource({ ...PIPELINERUNS, namespace: run.metadata.namespace }).delete(run.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: run.metadata.uid } });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return io.stdout(`Deleted ${prune.length} PipelineRuns (their TaskRuns and pods go with them).\n`), 0;
}

/** An orphan's runs: no controller records their outcome any more, so the recorded-outcome rule is moot. */
function withCompletion(entry: { run: PipelineRun; n: number }): { run: PipelineRun; n: number } {
  const annotations = { ...entry.run.metadata.annotations, [COMPLETION_ANNOTATION]: entry.run.metadata.annotations?.[COMPLETION_ANNOTATION] ?? 'orphan' };
  return { ...entry, run: { ...entry.run, metadata: { ...entry.run.metadata, annotations } } };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}
