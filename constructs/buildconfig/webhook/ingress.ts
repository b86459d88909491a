import type { WebhookIngressOptions } from '../trigger';

/** An Ingress spec routing exactly `host` + `path` to the listener's Service. */
export function webhookIngressSpec(ingress: WebhookIngressOptions & { readonly path: string }, serviceName: string, port: number) {
  return {
    ...(ingress.className ? { ingressClassName: ingress.className } : {}),
    rules: [{
      host: ingress.host,
      http: { paths: [{ path: ingress.path, pathType: 'Exact', backend: { service: { name: serviceName, port: { number: port } } } }] },
    }],
    ...(ingress.tlsSecret ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecret }] } : {}),
  };
}
