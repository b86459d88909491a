export * from './diagnostics';
export * from './synth';
export * from './typecheck';
export * from './outdir';
export * from './output';
