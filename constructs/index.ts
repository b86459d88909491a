export * from '../lib/api/group';
export * from './system/system';
export * from './system/registry';
export * from './imagestream';
export * from './buildconfig';
export * from './receiver';
export * from './notify';
export type { ImportMode } from '../lib/api/imagestream';
export * from './patterns';
