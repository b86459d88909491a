export * from './app-base';
export * from './git-app';
