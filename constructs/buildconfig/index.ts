export * from './build-config';
export * from './source';
export * from './strategy';
export * from './output';
export * from './trigger';
export { DEFAULT_BUILDER_SERVICE_ACCOUNT } from './pipeline/shared-tasks';
