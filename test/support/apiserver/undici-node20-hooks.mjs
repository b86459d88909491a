// Module resolve hook: `undici` imported by @kubernetes/client-node resolves to the Node 20 shim.
export async function resolve(specifier, context, next) {
  if (specifier === 'undici' && (context.parentURL ?? '').includes('/@kubernetes/client-node/')) {
    return { url: new URL('./undici-node20-shim.mjs', import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
