export * from './auth';
export * from './challenge';
export * from './errors';
export * from './manifest';
export * from './options';
export * from './reference';
export * from './resolve';
export * from './resolve-many';
export { AuthCache } from './token';
