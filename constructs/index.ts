export * from './api/group';
export * from './system/system';
export * from './system/registry';
export * from './imagestream';
export type { ImportMode } from '../lib/runtime/api/imagestream';
