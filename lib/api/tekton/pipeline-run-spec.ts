import type { PersistentVolumeClaimTemplate, PodTemplate } from './k8s-types';
import type { Param } from './params';

/** How a PipelineRun provides a workspace. Exactly one source field is set. */
export interface WorkspaceBinding {
  readonly name: string;
  readonly subPath?: string;
  readonly volumeClaimTemplate?: PersistentVolumeClaimTemplate;
  readonly persistentVolumeClaim?: { readonly claimName: string };
  readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string };
  readonly secret?: { readonly secretName: string; readonly optional?: boolean };
  readonly configMap?: { readonly name: string };
}

/** Durations as Go duration strings, e.g. '1h0m0s'. */
export interface PipelineRunTimeouts {
  readonly pipeline?: string;
  readonly tasks?: string;
  readonly finally?: string;
}

/** Values of spec.status a client may set. */
export type PipelineRunSpecStatus =
  | 'PipelineRunPending'
  | 'Cancelled'
  | 'CancelledRunFinally'
  | 'StoppedRunFinally';

/** The subset of tekton.dev/v1 PipelineRunSpec this project emits. */
export interface PipelineRunSpec {
  readonly pipelineRef: { readonly name: string };
  readonly params?: readonly Param[];
  readonly workspaces?: readonly WorkspaceBinding[];
  readonly taskRunTemplate?: {
    readonly serviceAccountName?: string;
    readonly podTemplate?: PodTemplate;
  };
  readonly timeouts?: PipelineRunTimeouts;
  readonly status?: PipelineRunSpecStatus;
}

/** A condition as Tekton reports it; `Succeeded` is the one that says how a run ended. */
export interface TektonCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  /** e.g. 'Succeeded', 'Failed', 'Running', 'PipelineRunPending', 'Cancelled'. */
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

/** The part of a PipelineRun's status this project reads. */
export interface PipelineRunStatus {
  readonly conditions?: readonly TektonCondition[];
  readonly startTime?: string;
  readonly completionTime?: string;
  /** Pipeline results, e.g. IMAGE_DIGEST. */
  readonly results?: readonly { readonly name: string; readonly value: string }[];
}

/** A whole tekton.dev/v1 PipelineRun object, as the controller creates and reads it. */
export interface PipelineRunObject {
  readonly apiVersion: 'tekton.dev/v1';
  readonly kind: 'PipelineRun';
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly uid: string; readonly controller?: boolean }[];
    readonly resourceVersion?: string;
    readonly uid?: string;
    readonly creationTimestamp?: string;
  };
  readonly spec: PipelineRunSpec;
  readonly status?: PipelineRunStatus;
}
