// Stands in for `undici` when @kubernetes/client-node 2 is loaded on Node 20 (undici 8 needs
// Node >= 22.19). Node's own fetch is undici underneath. The stand-in API server is plain
// http://, so the TLS dispatcher client-node builds is dropped.
export function fetch(input, init = {}) {
  const { dispatcher: _dispatcher, ...rest } = init;
  return globalThis.fetch(input, rest);
}
export class Agent {
  constructor(options) {
    this.options = options;
  }
}
export class ProxyAgent extends Agent {}
