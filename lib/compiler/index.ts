export * from './diagnostics';
export * from './synth';
export * from './typecheck';
export * from './outdir';
export * from './output';
export * from './output-record';
export * from './install-phases';
