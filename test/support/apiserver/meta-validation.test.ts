import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinResourceTypes } from './builtins';
import { validateObjectMeta } from './meta-validation';
import { CM, configMap, startTestServer, TestClient } from './testing';
import { ResourceType } from './types';

const type = (plural: string, group = ''): ResourceType => builtinResourceTypes().find((t) => t.plural === plural && t.group === group) as ResourceType;
const fields = (t: ResourceType, meta: object): string[] => validateObjectMeta(t, meta).map((e) => `${e.field}: ${e.detail}`);

describe('validateObjectMeta', () => {
  it('accepts ordinary names, labels and annotations', () => {
    expect(fields(type('configmaps'), { name: 'app.config-1', labels: { 'app.kubernetes.io/name': 'web', empty: '' }, annotations: { 'imagestreams.dev/triggers': '[]' } })).toEqual([]);
  });

  it('requires RFC 1123 subdomain names, in kube\'s words', () => {
    expect(fields(type('configmaps'), { name: 'Web_1' })).toEqual([
      `metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('requires RFC 1123 labels for namespaces and RFC 1035 labels for services', () => {
    expect(fields(type('namespaces'), { name: 'a.b' })[0]).toContain('a lowercase RFC 1123 label must consist of');
    expect(fields(type('services'), { name: '1svc' })[0]).toContain('a DNS-1035 label must consist of');
  });

  it('lets RBAC names contain colons but not slashes', () => {
    expect(fields(type('clusterroles', 'rbac.authorization.k8s.io'), { name: 'system:builder' })).toEqual([]);
    expect(fields(type('clusterroles', 'rbac.authorization.k8s.io'), { name: 'a/b' })).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });

  it('rejects label values that are not valid (a digest, say) and that are too long', () => {
    expect(fields(type('configmaps'), { name: 'a', labels: { image: 'sha256:abc' } })).toEqual([
      `metadata.labels: Invalid value: "sha256:abc": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
    expect(fields(type('configmaps'), { name: 'a', labels: { k: 'x'.repeat(64) } })[0]).toContain('must be no more than 63 characters');
  });

  it('rejects bad label and annotation keys', () => {
    expect(fields(type('configmaps'), { name: 'a', labels: { 'Bad_Prefix/x': 'v' } })[0]).toContain('prefix part a lowercase RFC 1123 subdomain');
    expect(fields(type('configmaps'), { name: 'a', annotations: { 'a/b/c': 'v' } })[0]).toContain('with an optional DNS subdomain prefix and \'/\'');
  });
});

describe('over HTTP', () => {
  let c: TestClient;
  beforeAll(async () => {
    c = await startTestServer();
  });
  afterAll(async () => {
    await c.server.close();
  });

  it('answers 422 before storing an invalid name', async () => {
    const r = await c.post(CM, configMap('Bad'));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/^ConfigMap "Bad" is invalid: metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
    expect((await c.get(`${CM}/Bad`)).status).toBe(404);
  });

  it('answers 422 when a patch sets an invalid label value', async () => {
    await c.post(CM, configMap('a'));
    const r = await c.patch(`${CM}/a`, { metadata: { labels: { image: 'repo@sha256:abc' } } }, 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.labels' });
  });
});
