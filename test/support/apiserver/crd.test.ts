import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageStream, imageStreamCrd, startTestServer, TestClient, withCrd } from './testing';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
let c: TestClient;
beforeEach(async () => {
  c = await startTestServer();
});
afterEach(async () => {
  await c.server.close();
});

describe('CustomResourceDefinitions', () => {
  it('serves the new resource once created, and marks the CRD Established', async () => {
    const r = await c.post(CRDS, imageStreamCrd());
    const list = await c.get('/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams');
    expect(r.body.status.conditions.map((x: { type: string; status: string }) => `${x.type}=${x.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
    expect(r.body.status.acceptedNames).toMatchObject({ kind: 'ImageStream', plural: 'imagestreams', listKind: 'ImageStreamList' });
    expect(list.status).toBe(200);
    expect(list.body.kind).toBe('ImageStreamList');
  });

  it('lists the resource in discovery with shortNames and the status subresource', async () => {
    await withCrd(c);
    const r = await c.get('/apis/imagestreams.dev/v1alpha1');
    expect(r.body.resources).toEqual([
      { name: 'imagestreams', singularName: 'imagestream', namespaced: true, kind: 'ImageStream', verbs: expect.arrayContaining(['get', 'list', 'watch', 'patch']), shortNames: ['is'] },
      { name: 'imagestreams/status', singularName: '', namespaced: true, kind: 'ImageStream', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('serves cluster-scoped custom resources without a namespace', async () => {
    await withCrd(c, imageStreamCrd({ scope: 'Cluster' }));
    const r = await c.post('/apis/imagestreams.dev/v1alpha1/imagestreams', imageStream('global'));
    expect(r.status).toBe(201);
    expect(r.body.metadata.namespace).toBeUndefined();
  });

  it('rejects a CRD whose name is not plural.group (422)', async () => {
    const crd = imageStreamCrd();
    crd.metadata.name = 'wrong.imagestreams.dev';
    const r = await c.post(CRDS, crd);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('CustomResourceDefinition.apiextensions.k8s.io "wrong.imagestreams.dev" is invalid: metadata.name: Invalid value: "wrong.imagestreams.dev": must be spec.names.plural+"."+spec.group');
  });

  it('stops serving and drops the objects when the CRD is deleted', async () => {
    await withCrd(c);
    await c.post('/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams', imageStream('s'));
    await c.del(`${CRDS}/imagestreams.imagestreams.dev`);
    const r = await c.get('/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams');
    expect(r.status).toBe(404);
    await withCrd(c);
    expect((await c.get('/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams')).body.items).toEqual([]);
  });

  it('serves every served version, each object shown with the requested apiVersion', async () => {
    const crd = imageStreamCrd();
    crd.spec.versions.push({ ...crd.spec.versions[0], name: 'v1beta1', storage: false });
    await withCrd(c, crd);
    await c.post('/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams', imageStream('s'));
    const r = await c.get('/apis/imagestreams.dev/v1beta1/namespaces/default/imagestreams/s');
    expect(r.body.apiVersion).toBe('imagestreams.dev/v1beta1');
  });
});
