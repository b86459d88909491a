import type { Param, ParamSpec } from './params';
import type { TaskSpec } from './task-spec';

export interface PipelineWorkspaceDeclaration {
  readonly name: string;
  readonly description?: string;
  /** @default false */
  readonly optional?: boolean;
}

/** A Pipeline result, e.g. `value: $(tasks.build.results.IMAGE_DIGEST)`. */
export interface PipelineResult {
  readonly name: string;
  readonly description?: string;
  readonly value: string;
}

export interface WorkspacePipelineTaskBinding {
  /** The Task's workspace name. */
  readonly name: string;
  /** The Pipeline's workspace name. */
  readonly workspace: string;
  readonly subPath?: string;
}

/** @see https://tekton.dev/docs/pipelines/pipelines/#adding-tasks-to-the-pipeline */
export interface PipelineTask {
  readonly name: string;
  /** A Task of the namespace; or `taskSpec`, the Task embedded. */
  readonly taskRef?: { readonly name: string };
  readonly taskSpec?: TaskSpec;
  readonly params?: readonly Param[];
  readonly workspaces?: readonly WorkspacePipelineTaskBinding[];
  readonly runAfter?: readonly string[];
  /** e.g. '1h0m0s' */
  readonly timeout?: string;
}

/** The subset of tekton.dev/v1 PipelineSpec this project emits. */
export interface PipelineSpec {
  readonly description?: string;
  readonly params?: readonly ParamSpec[];
  readonly workspaces?: readonly PipelineWorkspaceDeclaration[];
  readonly results?: readonly PipelineResult[];
  readonly tasks: readonly PipelineTask[];
}
