import type { WebhookIngressOptions } from '../trigger';

/**
 * Limits on what reaches the EventListener through the Ingress, for ingress-nginx (other
 * controllers ignore these annotations and need their own equivalents, see the README): push
 * payloads are small (GitHub caps them at 25 MB, a push is a few KB), and a git host sends a few a second at most.
 */
export const WEBHOOK_INGRESS_ANNOTATIONS = {
  'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
  'nginx.ingress.kubernetes.io/limit-rps': '5',
  'nginx.ingress.kubernetes.io/limit-burst-multiplier': '4',
} as const;

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
