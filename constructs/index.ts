export * from './api/group';
export * from './system/system';
