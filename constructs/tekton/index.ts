export * from './k8s-types';
export * from './params';
export * from './task-spec';
export * from './pipeline-spec';
export * from './pipeline-run-spec';
export * from './tekton-api-object';
export * from './triggers';
