export * from './registry-receiver';
