export * from './image-stream';
export * from './tag';
export type { DeployToOptions, PlusWorkload, TriggerableWorkload } from './deploy-to';
export * from './tag-policy';
