import {
  BUILDCONFIG_LABEL, PIPELINE_RUN_PENDING, REVISION_PARAM, type BuildConfigSpec,
} from '../../../lib/api/buildconfig';
import type { PipelineRunObject } from '../../tekton';

export interface PendingRunInput {
  readonly buildConfig: string;
  readonly namespace: string;
  /** The BuildConfig's spec: the run copies its Pipeline, params, workspaces, ServiceAccount and pod settings. */
  readonly spec: BuildConfigSpec;
  /** `{ name }` (git poll: one run per commit) or `{ generateName }` (webhooks). */
  readonly naming: { readonly name: string } | { readonly generateName: string };
  /** The commit to build: a SHA, or a placeholder the creator fills in. */
  readonly revision: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * A PipelineRun for the controller to admit: pending (Tekton does not start it), labelled with its
 * BuildConfig and building exactly `revision`. Shaped as the controller shapes its own runs.
 */
export function pendingPipelineRun(input: PendingRunInput): PipelineRunObject {
  const { spec } = input;
  const params = (spec.params ?? []).filter((p) => p.name !== REVISION_PARAM);
  const podTemplate = spec.podTemplate && Object.keys(spec.podTemplate).length > 0 ? spec.podTemplate : undefined;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      ...input.naming,
      namespace: input.namespace,
      labels: { [BUILDCONFIG_LABEL]: input.buildConfig },
      annotations: { ...input.annotations },
    },
    spec: {
      pipelineRef: { name: spec.pipelineRef.name },
      params: [...params, { name: REVISION_PARAM, value: input.revision }],
      workspaces: spec.workspaces.map((w) => ({ ...w })),
      taskRunTemplate: { serviceAccountName: spec.serviceAccountName, ...(podTemplate ? { podTemplate: { ...podTemplate } } : {}) },
      ...(spec.timeout ? { timeouts: { pipeline: spec.timeout } } : {}),
      status: PIPELINE_RUN_PENDING,
    },
  };
}
