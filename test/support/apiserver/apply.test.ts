import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CM, IS, imageStream, startTestServer, TestClient, withCrd } from './testing';

const APPLY = 'application/apply-patch+yaml';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

let c: TestClient;
beforeEach(async () => {
  c = await startTestServer();
});
afterEach(async () => {
  await c.server.close();
});

const cmYaml = (data: Record<string, string>): string =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', 'data:', ...Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`)].join('\n');

describe('server-side apply', () => {
  it('creates a missing object (201) with an Apply managedFields entry in fieldsV1 format', async () => {
    const r = await c.patch(`${CM}/a?fieldManager=tool`, cmYaml({ x: '1' }), APPLY);
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ x: '1' });
    expect(r.body.metadata.managedFields).toEqual([
      { manager: 'tool', operation: 'Apply', apiVersion: 'v1', time: expect.any(String), fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:x': {} } } },
    ]);
  });

  it('requires ?fieldManager', async () => {
    const r = await c.patch(`${CM}/a`, cmYaml({ x: '1' }), APPLY);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('fieldManager is required for apply requests');
  });

  it('answers 409 Conflict when another manager owns a field with a different value', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=two`, cmYaml({ x: '2' }), APPLY);
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "one": .data.x',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.x' }] },
      code: 409,
    });
  });

  it('names Update managers with their apiVersion and groups several conflicts by manager', async () => {
    await c.post(`${CM}?fieldManager=editor`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1', y: '1' } });
    const r = await c.patch(`${CM}/a?fieldManager=tool`, cmYaml({ x: '2', y: '2' }), APPLY);
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('Apply failed with 2 conflicts: conflicts with "editor" using v1:\n- .data.x\n- .data.y');
  });

  it('shares ownership without conflict when the value is the same', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=two`, cmYaml({ x: '1' }), APPLY);
    expect(r.status).toBe(200);
    expect(r.body.metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(['one', 'two']);
  });

  it('takes ownership with force=true', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1', y: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=two&force=true`, cmYaml({ x: '2' }), APPLY);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ x: '2', y: '1' });
    const byManager = Object.fromEntries(r.body.metadata.managedFields.map((e: { manager: string; fieldsV1: unknown }) => [e.manager, e.fieldsV1]));
    expect(byManager).toEqual({ one: { 'f:data': { 'f:y': {} } }, two: { 'f:data': { 'f:x': {} } } });
  });

  it('removes a field the applier owned and no longer sets', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1', y: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1' }), APPLY);
    expect(r.body.data).toEqual({ x: '1' });
  });

  it('keeps a dropped field that another manager still owns', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1', y: '1' }), APPLY);
    await c.patch(`${CM}/a?fieldManager=two`, cmYaml({ y: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1' }), APPLY);
    expect(r.body.data).toEqual({ x: '1', y: '1' });
  });

  it('merges containers by name as an associative list (k: keys)', async () => {
    const dep = (containers: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: ${containers}\n`;
    await c.patch(`${DEPLOY}/d?fieldManager=one`, dep('[{name: app, image: "a:1"}]'), APPLY);
    const r = await c.patch(`${DEPLOY}/d?fieldManager=two`, dep('[{name: sidecar, image: "s:1"}]'), APPLY);
    expect(r.body.spec.template.spec.containers).toEqual([{ name: 'app', image: 'a:1' }, { name: 'sidecar', image: 's:1' }]);
    const two = r.body.metadata.managedFields.find((e: { manager: string }) => e.manager === 'two');
    expect(two.fieldsV1).toEqual({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } });
  });

  it('reports a conflict inside an associative list with its key', async () => {
    const dep = (image: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: "${image}"}]\n`;
    await c.patch(`${DEPLOY}/d?fieldManager=one`, dep('a:1'), APPLY);
    const r = await c.patch(`${DEPLOY}/d?fieldManager=two`, dep('a:2'), APPLY);
    expect(r.body.message).toBe('Apply failed with 1 conflict: conflict with "one": .spec.template.spec.containers[name="app"].image');
  });

  it('merges a custom resource\'s x-kubernetes-list-map-keys list by key', async () => {
    await withCrd(c);
    const yaml = (tags: string): string => `apiVersion: imagestreams.dev/v1alpha1\nkind: ImageStream\nmetadata: {name: s}\nspec:\n  tags: ${tags}\n`;
    await c.patch(`${IS}/s?fieldManager=one`, yaml('[{name: latest, from: "a"}]'), APPLY);
    const r = await c.patch(`${IS}/s?fieldManager=two`, yaml('[{name: stable, from: "b"}]'), APPLY);
    expect(r.body.spec.tags).toEqual([
      { name: 'latest', from: 'a', insecure: false },
      { name: 'stable', from: 'b', insecure: false },
    ]);
  });

  it('applies to /status only the status', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s', { historyLimit: 2 }));
    const r = await c.patch(`${IS}/s/status?fieldManager=ctl`, 'apiVersion: imagestreams.dev/v1alpha1\nkind: ImageStream\nmetadata: {name: s}\nspec: {historyLimit: 7}\nstatus: {phase: Ready}\n', APPLY);
    expect(r.body.status).toEqual({ phase: 'Ready' });
    expect(r.body.spec.historyLimit).toBe(2);
    const ctl = r.body.metadata.managedFields.find((e: { manager: string }) => e.manager === 'ctl');
    expect(ctl).toMatchObject({ operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:phase': {} } } });
  });

  it('lets a non-apply update take a field over from an applier without conflict', async () => {
    await c.patch(`${CM}/a?fieldManager=one`, cmYaml({ x: '1' }), APPLY);
    const r = await c.patch(`${CM}/a?fieldManager=editor`, { data: { x: '2' } }, 'application/merge-patch+json');
    expect(r.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'editor', operation: 'Update', fieldsV1: { 'f:data': { 'f:x': {} } } })]);
  });
});
