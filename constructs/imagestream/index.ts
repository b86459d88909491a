export * from './image-stream';
export * from './tag';
