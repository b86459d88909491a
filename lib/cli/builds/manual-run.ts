import {
  BASE_IMAGE_PARAM,
  BUILD_CAUSE_ANNOTATION,
  BUILD_COMMIT_ANNOTATION,
  BUILDCONFIG_LABEL,
  PIPELINE_RUN_PENDING,
  REVISION_PARAM,
} from '../../api/buildconfig';
import type { PipelineRun, RunParam } from '../../runtime/controller/builds/pipeline-run';
import type { BuildConfigResource } from './resources';

/** The cause the controller records for runs started by hand. */
export const MANUAL_CAUSE = 'Manual';

/** Tekton copies the run's name into pod labels (at most 63 characters); generateName adds 5. */
const MAX_PREFIX = 58;

/**
 * A PipelineRun of the BuildConfig's Pipeline, created pending (`spec.status: PipelineRunPending`)
 * so that the controller admits it by run policy and numbers it, as it does webhook runs. It runs
 * with the BuildConfig's params, service account, pod template, timeout and workspaces; REVISION
 * is `commit` when given, else the source's ref. BASE_IMAGE is left to the controller (or the
 * Pipeline's default), as for every run it did not create.
 */
export function manualRun(bc: BuildConfigResource, commit?: string): PipelineRun {
  const { name, namespace = 'default', uid } = bc.metadata;
  const spec = bc.spec;
  const params: RunParam[] = (spec.params ?? [])
    .filter((p) => p.name !== BASE_IMAGE_PARAM && p.name !== REVISION_PARAM)
    .map((p) => ({ name: p.name, value: p.value }));
  const revision = commit ?? spec.source?.git?.ref;
  if (spec.source?.type === 'Git' || commit) params.push({ name: REVISION_PARAM, value: revision ?? '' });
  const podTemplate = spec.podTemplate && Object.keys(spec.podTemplate).length > 0 ? { ...spec.podTemplate } : undefined;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      generateName: `${name.slice(0, MAX_PREFIX - '-manual-'.length)}-manual-`,
      namespace,
      labels: { [BUILDCONFIG_LABEL]: name },
      annotations: { [BUILD_CAUSE_ANNOTATION]: MANUAL_CAUSE, ...(commit ? { [BUILD_COMMIT_ANNOTATION]: commit } : {}) },
      ...(uid ? { ownerReferences: [{ apiVersion: bc.apiVersion, kind: bc.kind, name, uid: uid as string, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      pipelineRef: { name: spec.pipelineRef.name },
      params,
      status: PIPELINE_RUN_PENDING,
      ...(spec.timeout ? { timeouts: { pipeline: spec.timeout } } : {}),
      taskRunTemplate: { ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}), ...(podTemplate ? { podTemplate } : {}) },
      ...(spec.workspaces?.length ? { workspaces: spec.workspaces.map((w) => ({ ...w })) } : {}),
    },
  };
}
