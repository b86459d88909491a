import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestClient } from './testing';

let c: TestClient;
beforeAll(async () => {
  c = await startTestServer();
});
afterAll(async () => {
  await c.server.close();
});

describe('discovery', () => {
  it('/api lists v1', async () => {
    const r = await c.get('/api');
    expect(r.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('/api/v1 lists core resources with their verbs and shortNames', async () => {
    const r = await c.get('/api/v1');
    expect(r.body.kind).toBe('APIResourceList');
    expect(r.body.groupVersion).toBe('v1');
    expect(r.body.resources.find((x: { name: string }) => x.name === 'configmaps')).toEqual({
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['cm'],
    });
  });

  it('/apis lists groups with a preferred version', async () => {
    const r = await c.get('/apis');
    const apps = r.body.groups.find((g: { name: string }) => g.name === 'apps');
    expect(r.body.kind).toBe('APIGroupList');
    expect(apps).toEqual({ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
    expect(r.body.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['batch', 'coordination.k8s.io', 'events.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io', 'tekton.dev']));
  });

  it('/apis/apps/v1 includes deployments/status', async () => {
    const r = await c.get('/apis/apps/v1');
    const names = r.body.resources.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['deployments', 'deployments/status', 'statefulsets', 'daemonsets']));
    expect(r.body.resources.find((x: { name: string }) => x.name === 'deployments/status').verbs).toEqual(['get', 'patch', 'update']);
  });

  it('answers aggregated discovery requests with the plain document so clients fall back', async () => {
    const r = await c.get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body.kind).toBe('APIGroupList');
  });

  it('/version reports 1.32', async () => {
    const r = await c.get('/version');
    expect(r.body).toMatchObject({ major: '1', minor: '32' });
  });

  it('answers 404 for /openapi/v2 and for an unknown group', async () => {
    expect((await c.get('/openapi/v2')).status).toBe(404);
    expect((await c.get('/apis/nope.example.com/v1')).status).toBe(404);
  });
});
