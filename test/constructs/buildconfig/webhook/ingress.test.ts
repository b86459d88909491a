import { describe, expect, it } from 'vitest';
import { webhookIngressSpec } from '../../../../constructs/buildconfig/webhook/ingress';

describe('webhookIngressSpec', () => {
  it('routes exactly host and path to the listener Service, with class and TLS when given', () => {
    expect(webhookIngressSpec({ host: 'hooks.example.com', path: '/foo', className: 'nginx', tlsSecret: 'hooks-tls' }, 'el-foo', 8080)).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'hooks.example.com', http: { paths: [{ path: '/foo', pathType: 'Exact', backend: { service: { name: 'el-foo', port: { number: 8080 } } } }] } }],
      tls: [{ hosts: ['hooks.example.com'], secretName: 'hooks-tls' }],
    });
  });

  it('has no class and no TLS section unless asked', () => {
    const spec = webhookIngressSpec({ host: 'h.example.com', path: '/' }, 'el-x', 8080);
    expect(Object.keys(spec)).toEqual(['rules']);
  });
});
