export * from '../../lib/api/tekton/k8s-types';
export * from '../../lib/api/tekton/params';
export * from '../../lib/api/tekton/task-spec';
export * from '../../lib/api/tekton/pipeline-spec';
export * from '../../lib/api/tekton/pipeline-run-spec';
export * from './tekton-api-object';
export * from '../../lib/api/tekton/triggers';
