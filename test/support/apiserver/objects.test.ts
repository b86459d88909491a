import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CM, IS, configMap, imageStream, startTestServer, TestClient, withCrd } from './testing';

let c: TestClient;
beforeEach(async () => {
  c = await startTestServer();
});
afterEach(async () => {
  await c.server.close();
});

describe('metadata on create', () => {
  it('sets uid, creationTimestamp, generation 1 and a string resourceVersion from one global counter', async () => {
    // GIVEN two objects of different kinds created one after the other
    const a = await c.post(CM, configMap('a'));
    const b = await c.post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } });
    // THEN both carry server-set metadata and the resourceVersions increase across kinds
    expect(a.status).toBe(201);
    expect(a.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.body.metadata.generation).toBe(1);
    expect(typeof a.body.metadata.resourceVersion).toBe('string');
    expect(Number(b.body.metadata.resourceVersion)).toBe(Number(a.body.metadata.resourceVersion) + 1);
  });

  it('completes generateName with 5 random characters', async () => {
    const r = await c.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'build-' } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^build-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers 409 AlreadyExists for a duplicate name with kube\'s Status body', async () => {
    await c.post(CM, configMap('dup'));
    const r = await c.post(CM, configMap('dup'));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "dup" already exists',
      reason: 'AlreadyExists',
      details: { name: 'dup', group: '', kind: 'configmaps' },
      code: 409,
    });
  });

  it('defaults a Secret\'s type to Opaque and a Namespace\'s phase to Active', async () => {
    const secret = await c.post('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const ns = await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
    expect(secret.body.type).toBe('Opaque');
    expect(ns.body.status).toEqual({ phase: 'Active' });
  });

  it('answers 422 when neither name nor generateName is given', async () => {
    const r = await c.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('answers 404 for a namespace that does not exist', async () => {
    const r = await c.post('/api/v1/namespaces/nope/configmaps', configMap('x'));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nope" not found');
  });

  it('answers 400 when the body\'s kind does not match the URL', async () => {
    const r = await c.post(CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the kind in the data (Secret) does not match the expected kind (ConfigMap)');
  });
});

describe('get and 404', () => {
  it('answers 404 NotFound with group-qualified resource in the message', async () => {
    const r = await c.get('/apis/apps/v1/namespaces/default/deployments/missing');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ reason: 'NotFound', message: 'deployments.apps "missing" not found', details: { name: 'missing', group: 'apps', kind: 'deployments' }, code: 404 });
  });

  it('answers 404 for an unknown resource path', async () => {
    const r = await c.get('/api/v1/namespaces/default/widgets');
    expect(r.status).toBe(404);
    expect(r.body.reason).toBe('NotFound');
  });

  it('answers 405 for a method the path does not support', async () => {
    const r = await c.put(CM, configMap('x'));
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe('MethodNotAllowed');
  });
});

describe('update (PUT)', () => {
  it('rejects a stale resourceVersion with 409 Conflict', async () => {
    const created = (await c.post(CM, configMap('a', { k: '1' }))).body;
    await c.put(`${CM}/a`, { ...created, data: { k: '2' } });
    const r = await c.put(`${CM}/a`, { ...created, data: { k: '3' } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'a', group: '', kind: 'configmaps' },
      code: 409,
    });
  });

  it('updates a built-in unconditionally when resourceVersion is absent', async () => {
    await c.post(CM, configMap('a', { k: '1' }));
    const r = await c.put(`${CM}/a`, configMap('a', { k: '2' }));
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ k: '2' });
  });

  it('requires resourceVersion when updating a custom resource, as kube does', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s'));
    const r = await c.put(`${IS}/s`, imageStream('s', { historyLimit: 3 }));
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('ImageStream.imagestreams.dev "s" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
  });

  it('answers 404 when updating an object that does not exist', async () => {
    const r = await c.put(`${CM}/ghost`, configMap('ghost'));
    expect(r.status).toBe(404);
  });

  it('does not write (nor bump resourceVersion) when nothing changes', async () => {
    const created = (await c.post(CM, configMap('a', { k: '1' }))).body;
    const r = await c.put(`${CM}/a`, created);
    expect(r.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('keeps uid and creationTimestamp whatever the body says', async () => {
    const created = (await c.post(CM, configMap('a'))).body;
    const r = await c.put(`${CM}/a`, { ...created, metadata: { ...created.metadata, uid: 'forged', creationTimestamp: '2000-01-01T00:00:00Z' }, data: { x: 'y' } });
    expect(r.body.metadata.uid).toBe(created.metadata.uid);
    expect(r.body.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
  });
});

describe('generation', () => {
  const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
  const deployment = (replicas: number, labels: Record<string, string> = {}): object => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels },
    spec: { replicas, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  });

  it('bumps only when spec changes', async () => {
    await c.post(DEPLOY, deployment(1));
    const labelsOnly = await c.put(`${DEPLOY}/d`, deployment(1, { x: 'y' }));
    const specChange = await c.put(`${DEPLOY}/d`, deployment(2, { x: 'y' }));
    expect(labelsOnly.body.metadata.generation).toBe(1);
    expect(specChange.body.metadata.generation).toBe(2);
  });

  it('counts everything but metadata and status for kinds without spec', async () => {
    await c.post(CM, configMap('a', { k: '1' }));
    const r = await c.patch(`${CM}/a`, { data: { k: '2' } }, 'application/merge-patch+json');
    expect(r.body.metadata.generation).toBe(2);
  });
});

describe('status subresource', () => {
  it('writes only .status through /status, without bumping generation', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s', { historyLimit: 2 }));
    const r = await c.patch(`${IS}/s/status`, { spec: { historyLimit: 9 }, status: { phase: 'Ready' } }, 'application/merge-patch+json');
    expect(r.status).toBe(200);
    expect(r.body.status).toEqual({ phase: 'Ready' });
    expect(r.body.spec.historyLimit).toBe(2);
    expect(r.body.metadata.generation).toBe(1);
  });

  it('ignores .status on main-resource writes and on create', async () => {
    await withCrd(c);
    const created = await c.post(IS, { ...imageStream('s'), status: { phase: 'Forged' } });
    await c.patch(`${IS}/s/status`, { status: { phase: 'Ready' } }, 'application/merge-patch+json');
    const r = await c.patch(`${IS}/s`, { status: { phase: 'Changed' }, spec: { historyLimit: 4 } }, 'application/merge-patch+json');
    expect(created.body.status).toBeUndefined();
    expect(r.body.status).toEqual({ phase: 'Ready' });
    expect(r.body.spec.historyLimit).toBe(4);
  });

  it('replaces status with PUT /status for a built-in with status (Deployment)', async () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: {}, template: {} } };
    const created = (await c.post('/apis/apps/v1/namespaces/default/deployments', d)).body;
    const r = await c.put('/apis/apps/v1/namespaces/default/deployments/d/status', { ...created, status: { replicas: 3 } });
    expect(r.status).toBe(200);
    expect(r.body.status).toEqual({ replicas: 3 });
  });

  it('answers 404 for /status of a kind without a status subresource', async () => {
    await c.post(CM, configMap('a'));
    const r = await c.get(`${CM}/a/status`);
    expect(r.status).toBe(404);
  });
});

describe('delete', () => {
  it('returns the deleted object with a new resourceVersion, then 404', async () => {
    const created = (await c.post(CM, configMap('a'))).body;
    const r = await c.del(`${CM}/a`);
    expect(r.status).toBe(200);
    expect(r.body.metadata.name).toBe('a');
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect((await c.get(`${CM}/a`)).status).toBe(404);
  });

  it('with finalizers only sets deletionTimestamp; the object goes when they are emptied', async () => {
    await c.post(CM, { ...configMap('a'), metadata: { name: 'a', finalizers: ['example.com/hold'] } });
    const marked = await c.del(`${CM}/a`);
    const stillThere = await c.get(`${CM}/a`);
    await c.patch(`${CM}/a`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(marked.body.metadata.deletionTimestamp).toBeDefined();
    expect(stillThere.status).toBe(200);
    expect((await c.get(`${CM}/a`)).status).toBe(404);
  });

  it('cascades to dependents by ownerReferences uid (background), recursively', async () => {
    const owner = (await c.post(CM, configMap('owner'))).body;
    const ref = (o: { metadata: { name: string; uid: string } }) => [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid }];
    const child = (await c.post(CM, { ...configMap('child'), metadata: { name: 'child', ownerReferences: ref(owner) } })).body;
    await c.post(CM, { ...configMap('grandchild'), metadata: { name: 'grandchild', ownerReferences: ref(child) } });
    await c.del(`${CM}/owner`);
    expect((await c.get(`${CM}/child`)).status).toBe(404);
    expect((await c.get(`${CM}/grandchild`)).status).toBe(404);
  });

  it('with propagationPolicy Orphan leaves dependents and removes the owner reference', async () => {
    const owner = (await c.post(CM, configMap('owner'))).body;
    await c.post(CM, { ...configMap('child'), metadata: { name: 'child', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] } });
    await c.del(`${CM}/owner`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    const child = await c.get(`${CM}/child`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
  });

  it('deleting a namespace deletes what is in it', async () => {
    await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await c.post('/api/v1/namespaces/team/configmaps', configMap('a'));
    await c.del('/api/v1/namespaces/team');
    expect((await c.get('/api/v1/namespaces/team/configmaps/a')).status).toBe(404);
  });

  it('checks a resourceVersion precondition (409)', async () => {
    await c.post(CM, configMap('a'));
    const r = await c.del(`${CM}/a`, { preconditions: { resourceVersion: '1' } });
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('Conflict');
  });
});

describe('dryRun=All', () => {
  it('checks and answers but stores nothing, for create, patch and delete', async () => {
    const dryCreate = await c.post(`${CM}?dryRun=All`, configMap('dry'));
    await c.post(CM, configMap('real', { k: '1' }));
    const dryPatch = await c.patch(`${CM}/real?dryRun=All`, { data: { k: '2' } }, 'application/merge-patch+json');
    const dryDelete = await c.del(`${CM}/real?dryRun=All`);
    const dryDuplicate = await c.post(`${CM}?dryRun=All`, configMap('real'));
    expect(dryCreate.status).toBe(201);
    expect((await c.get(`${CM}/dry`)).status).toBe(404);
    expect(dryPatch.body.data).toEqual({ k: '2' });
    expect(dryDelete.status).toBe(200);
    expect(dryDuplicate.status).toBe(409);
    expect((await c.get(`${CM}/real`)).body.data).toEqual({ k: '1' });
  });
});

describe('paths and scopes', () => {
  it('serves cluster-scoped kinds without a namespace segment', async () => {
    const r = await c.post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [] });
    expect(r.status).toBe(201);
    expect(r.body.metadata.namespace).toBeUndefined();
    expect((await c.get('/apis/rbac.authorization.k8s.io/v1/clusterroles/r')).status).toBe(200);
  });

  it('serves every listed built-in kind', async () => {
    const paths = [
      '/api/v1/namespaces/default/events',
      '/apis/events.k8s.io/v1/namespaces/default/events',
      '/api/v1/namespaces/default/serviceaccounts',
      '/api/v1/namespaces/default/services',
      '/api/v1/namespaces/default/pods',
      '/apis/apps/v1/namespaces/default/statefulsets',
      '/apis/apps/v1/namespaces/default/daemonsets',
      '/apis/batch/v1/namespaces/default/jobs',
      '/apis/batch/v1/namespaces/default/cronjobs',
      '/apis/coordination.k8s.io/v1/namespaces/default/leases',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      '/apis/tekton.dev/v1/namespaces/default/pipelines',
      '/apis/tekton.dev/v1/namespaces/default/tasks',
      '/apis/tekton.dev/v1/namespaces/default/pipelineruns',
      '/apis/tekton.dev/v1/namespaces/default/taskruns',
    ];
    const statuses = await Promise.all(paths.map(async (p) => (await c.get(p)).status));
    expect(statuses).toEqual(paths.map(() => 200));
  });

  it('gives PipelineRuns a status subresource', async () => {
    const pr = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'b-1' }, spec: { pipelineRef: { name: 'p' } } };
    await c.post('/apis/tekton.dev/v1/namespaces/default/pipelineruns', pr);
    const r = await c.patch('/apis/tekton.dev/v1/namespaces/default/pipelineruns/b-1/status', { status: { conditions: [{ type: 'Succeeded', status: 'True' }] } }, 'application/merge-patch+json');
    expect(r.status).toBe(200);
    expect(r.body.status.conditions[0].status).toBe('True');
  });

  it('ignores an Authorization header', async () => {
    const r = await c.get(CM, { Authorization: 'Bearer whatever' });
    expect(r.status).toBe(200);
  });
});
