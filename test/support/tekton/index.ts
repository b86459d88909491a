export * from './substitute';
export * from './task-order';
export * from './task-run';
export * from './run-pipeline';
