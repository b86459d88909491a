import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPullSecrets } from '../../../lib/runtime/registry/pull-secrets';
import { testKube, type TestKube } from '../../support/kube';

describe('loadPullSecrets', () => {
  let cluster: TestKube;
  beforeAll(async () => {
    cluster = await testKube('pull-secrets');
    await cluster.createPullSecret('first', 'registry.example.com', 'alice', 'one');
    await cluster.createPullSecret('second', 'registry.example.com', 'bob', 'two');
    await cluster.createPullSecret('other', 'other.example.com:5000', 'carol', 'three');
    await cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: cluster.namespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque' }, data: { token: 'eA==' },
    });
  });
  afterAll(() => cluster?.close());

  it('is anonymous without secrets', async () => {
    expect(await loadPullSecrets(cluster.kube, cluster.namespace, [])).toEqual({ warnings: [] });
  });

  it('merges the auths of several secrets, the first secret winning for a registry', async () => {
    // WHEN three secrets are read
    const { dockerConfig, warnings } = await loadPullSecrets(cluster.kube, cluster.namespace, ['first', 'second', 'other']);
    // THEN each registry has the first secret's entry
    const basic = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
    expect(dockerConfig).toEqual({ auths: { 'registry.example.com': basic('alice', 'one'), 'other.example.com:5000': basic('carol', 'three') } });
    expect(warnings).toEqual([]);
  });

  it('warns about missing and unusable secrets and goes on with the others', async () => {
    const { dockerConfig, warnings } = await loadPullSecrets(cluster.kube, cluster.namespace, ['missing', 'opaque', 'other']);
    expect(Object.keys(dockerConfig!.auths)).toEqual(['other.example.com:5000']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`^pull secret "missing" is not used: GET /api/v1/namespaces/${cluster.namespace}/secrets/missing: 404 NotFound`));
    expect(warnings[1]).toBe('pull secret "opaque" is not used: secret "opaque" has no ".dockerconfigjson" key');
  });
});
