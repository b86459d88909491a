export * from './external-options';
export type { RegistryGarbageCollectionOptions } from './garbage-collection';
export * from './in-cluster-options';
export * from './in-cluster-names';
export * from './stream-registry';
export * from './stream-repository';
