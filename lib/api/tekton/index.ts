/** The Tekton (and the few core/v1) shapes we emit, as plain data types. */
export * from './k8s-types';
export * from './params';
export * from './task-spec';
export * from './pipeline-spec';
export * from './pipeline-run-spec';
export * from './triggers';
