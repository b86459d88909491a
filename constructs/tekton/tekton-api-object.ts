import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import type { PipelineSpec } from '../../lib/api/tekton/pipeline-spec';
import type { TaskSpec } from '../../lib/api/tekton/task-spec';

// Hand-written types instead of `cdk8s import` of Tekton's CRDs: the upstream CRDs list v1beta1
// first and leave inline specs (steps, params) as untyped `x-kubernetes-preserve-unknown-fields`,
// so generated classes would type nothing we care about.

export const TEKTON_API_VERSION = 'tekton.dev/v1';

export interface TektonTaskProps {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: TaskSpec;
}

/** A tekton.dev/v1 Task. */
export class TektonTask extends ApiObject {
  constructor(scope: Construct, id: string, props: TektonTaskProps) {
    super(scope, id, { apiVersion: TEKTON_API_VERSION, kind: 'Task', metadata: props.metadata, spec: props.spec });
  }
}

export interface TektonPipelineProps {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: PipelineSpec;
}

/** A tekton.dev/v1 Pipeline. */
export class TektonPipeline extends ApiObject {
  constructor(scope: Construct, id: string, props: TektonPipelineProps) {
    super(scope, id, { apiVersion: TEKTON_API_VERSION, kind: 'Pipeline', metadata: props.metadata, spec: props.spec });
  }
}
