export * from './build-config';
export * from './source';
export * from './strategy';
export * from './output';
export { RegistryCa, type RegistryTlsOptions } from './registry-access';
export * from './trigger';
export { DEFAULT_BUILDER_SERVICE_ACCOUNT } from './pipeline/shared-tasks';
