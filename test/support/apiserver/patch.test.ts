import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinListType } from './list-types';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { Json } from './types';
import { CM, IS, configMap, imageStream, startTestServer, TestClient, withCrd } from './testing';

describe('mergePatch (RFC 7386)', () => {
  it('merges objects, deletes with null and replaces arrays', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: true };
    expect(mergePatch(target, { a: { b: null, d: 3 }, list: [9] })).toEqual({ a: { c: 2, d: 3 }, list: [9], keep: true });
  });

  it('replaces the whole document with a non-object patch', () => {
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { spec: { tags: ['a', 'b'], n: 1 } };

  it('applies add, remove, replace, move, copy and test in order', () => {
    const out = jsonPatch(doc, [
      { op: 'test', path: '/spec/n', value: 1 },
      { op: 'add', path: '/spec/tags/-', value: 'c' },
      { op: 'add', path: '/spec/tags/0', value: 'z' },
      { op: 'remove', path: '/spec/tags/1' },
      { op: 'replace', path: '/spec/n', value: 2 },
      { op: 'copy', from: '/spec/n', path: '/spec/m' },
      { op: 'move', from: '/spec/m', path: '/spec/k~1x' },
    ]);
    expect(out).toEqual({ spec: { tags: ['z', 'b', 'c'], n: 2, 'k/x': 2 } });
  });

  it('fails a test operation with 422', () => {
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/spec/n', value: 5 }])).toThrowError('testing value /spec/n failed: test failed');
  });

  it('refuses to remove what is not there', () => {
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }])).toThrowError('unable to remove nonexistent key: nope: missing value');
  });

  it('refuses to replace what is not there', () => {
    expect(() => jsonPatch(doc, [{ op: 'replace', path: '/spec/nope', value: 1 }])).toThrowError('replace operation does not apply: doc is missing key: /spec/nope: missing value');
  });

  it('leaves the input untouched when an operation fails', () => {
    const input = { a: 1 };
    expect(() => jsonPatch(input, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 0 }])).toThrow();
    expect(input).toEqual({ a: 1 });
  });
});

describe('strategicMergePatch', () => {
  const pod: Json = { spec: { containers: [{ name: 'app', image: 'a:1', args: ['x'] }, { name: 'side', image: 's:1' }], tolerations: [{ key: 'k' }] } };

  it('merges containers by name and replaces atomic lists', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'side', image: 's:2' }], tolerations: [{ key: 'j' }] } }, [], builtinListType);
    expect(out).toEqual({ spec: { containers: [{ name: 'app', image: 'a:1', args: ['x'] }, { name: 'side', image: 's:2' }], tolerations: [{ key: 'j' }] } });
  });

  it('honours $patch: delete on a list item and ignores $setElementOrder', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'side', $patch: 'delete' }] } };
    const out = strategicMergePatch(pod, patch, [], builtinListType) as { spec: { containers: unknown[] } };
    expect(out.spec.containers).toEqual([{ name: 'app', image: 'a:1', args: ['x'] }]);
  });

  it('removes values with $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, [], builtinListType);
    expect(out).toEqual({ metadata: { finalizers: ['b'] } });
  });
});

describe('PATCH over HTTP', () => {
  let c: TestClient;
  beforeEach(async () => {
    c = await startTestServer();
  });
  afterEach(async () => {
    await c.server.close();
  });

  it('applies a merge patch', async () => {
    await c.post(CM, configMap('a', { x: '1', y: '2' }));
    const r = await c.patch(`${CM}/a`, { data: { x: null, z: '3' } }, 'application/merge-patch+json');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ y: '2', z: '3' });
  });

  it('answers 422 Invalid when a JSON patch test fails', async () => {
    await c.post(CM, configMap('a', { x: '1' }));
    const r = await c.patch(`${CM}/a`, [{ op: 'test', path: '/data/x', value: '2' }, { op: 'replace', path: '/data/x', value: '3' }], 'application/json-patch+json');
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', message: 'testing value /data/x failed: test failed', code: 422 });
    expect((await c.get(`${CM}/a`)).body.data).toEqual({ x: '1' });
  });

  it('rejects a patch that sets a stale resourceVersion with 409', async () => {
    const created = (await c.post(CM, configMap('a'))).body;
    await c.patch(`${CM}/a`, { data: { k: 'v' } }, 'application/merge-patch+json');
    const r = await c.patch(`${CM}/a`, { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { k: 'w' } }, 'application/merge-patch+json');
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('Conflict');
  });

  it('merges a Deployment\'s containers by name with a strategic merge patch', async () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } } };
    await c.post('/apis/apps/v1/namespaces/default/deployments', d);
    const r = await c.patch('/apis/apps/v1/namespaces/default/deployments/d', { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } }, 'application/strategic-merge-patch+json');
    expect(r.body.spec.template.spec.containers).toEqual([{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }]);
  });

  it('answers 415 for a strategic merge patch on a custom resource', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s'));
    const r = await c.patch(`${IS}/s`, { spec: {} }, 'application/strategic-merge-patch+json');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });

  it('answers 404 when patching a missing object', async () => {
    const r = await c.patch(`${CM}/ghost`, { data: {} }, 'application/merge-patch+json');
    expect(r.status).toBe(404);
  });

  it('records operation Update for the patching manager', async () => {
    await c.post(`${CM}?fieldManager=creator`, configMap('a', { x: '1' }));
    const r = await c.patch(`${CM}/a?fieldManager=patcher`, { data: { y: '2' } }, 'application/merge-patch+json');
    const entries = r.body.metadata.managedFields;
    expect(entries).toEqual([
      expect.objectContaining({ manager: 'creator', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:x': {} } } }),
      expect.objectContaining({ manager: 'patcher', operation: 'Update', fieldsV1: { 'f:data': { 'f:y': {} } } }),
    ]);
  });
});
