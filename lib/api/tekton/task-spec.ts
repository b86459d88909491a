import type { EnvVar, ResourceRequirements, SecurityContext, Volume, VolumeMount } from './k8s-types';
import type { ParamSpec } from './params';

/** @see https://tekton.dev/docs/pipelines/workspaces/#using-workspaces-in-tasks */
export interface WorkspaceDeclaration {
  readonly name: string;
  readonly description?: string;
  /** @default false */
  readonly optional?: boolean;
  /** @default false */
  readonly readOnly?: boolean;
  /** @default '/workspace/<name>' */
  readonly mountPath?: string;
}

/** @see https://tekton.dev/docs/pipelines/tasks/#emitting-results */
export interface TaskResult {
  readonly name: string;
  /** @default 'string' */
  readonly type?: 'string' | 'array';
  readonly description?: string;
}

export interface Step {
  readonly name: string;
  readonly image: string;
  /** Run as a file; without a `#!` line Tekton runs it with `#!/bin/sh` and `set -e`. */
  readonly script?: string;
  readonly command?: readonly string[];
  /** With `script`, these become the script's positional arguments ("$@"). */
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly workingDir?: string;
  readonly securityContext?: SecurityContext;
  readonly computeResources?: ResourceRequirements;
  readonly volumeMounts?: readonly VolumeMount[];
  /** Isolated workspaces: a Task workspace listed here is mounted only into the steps that list it. */
  readonly workspaces?: readonly { readonly name: string; readonly mountPath?: string }[];
}

/** Fields shared by every step (Tekton merges each step over it). */
export type StepTemplate = Omit<Partial<Step>, 'name' | 'script' | 'command' | 'args' | 'workspaces'>;

/** The subset of tekton.dev/v1 TaskSpec this project emits. */
export interface TaskSpec {
  readonly description?: string;
  readonly params?: readonly ParamSpec[];
  readonly workspaces?: readonly WorkspaceDeclaration[];
  readonly results?: readonly TaskResult[];
  readonly steps: readonly Step[];
  readonly volumes?: readonly Volume[];
  readonly stepTemplate?: StepTemplate;
}
