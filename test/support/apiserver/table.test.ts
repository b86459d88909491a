import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CM, IS, configMap, imageStream, startTestServer, TestClient, withCrd } from './testing';

const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
let c: TestClient;
beforeEach(async () => {
  c = await startTestServer();
});
afterEach(async () => {
  await c.server.close();
});

describe('Table output', () => {
  it('prints a CRD\'s additionalPrinterColumns after Name', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s', { historyLimit: 3 }));
    await c.patch(`${IS}/s/status`, { status: { tags: [{ tag: 'latest', items: [{ image: 'sha256:abc' }] }] } }, 'application/merge-patch+json');
    const r = await c.get(IS, TABLE);
    expect(r.body.kind).toBe('Table');
    expect(r.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(r.body.columnDefinitions.map((d: { name: string; type: string }) => `${d.name}:${d.type}`)).toEqual(['Name:string', 'Image:string', 'History:integer', 'Created:date']);
    expect(r.body.rows).toHaveLength(1);
    expect(r.body.rows[0].cells.slice(0, 3)).toEqual(['s', 'sha256:abc', 3]);
    expect(r.body.rows[0].cells[3]).toMatch(/^\d+s$/);
    expect(r.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 's' } });
    expect(r.body.metadata.resourceVersion).toBeDefined();
  });

  it('leaves a cell null when the path has no value', async () => {
    await withCrd(c);
    await c.post(IS, imageStream('s'));
    const r = await c.get(`${IS}/s`, TABLE);
    expect(r.body.rows[0].cells[1]).toBeNull();
  });

  it('defaults to Name and Age columns', async () => {
    await c.post(CM, configMap('a'));
    const r = await c.get(CM, TABLE);
    expect(r.body.columnDefinitions.map((d: { name: string }) => d.name)).toEqual(['Name', 'Age']);
    expect(r.body.rows[0].cells[0]).toBe('a');
  });

  it('prints PipelineRuns with the columns Tekton\'s CRD declares', async () => {
    const PR = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
    await c.post(PR, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'b-1' }, spec: {} });
    await c.patch(`${PR}/b-1/status`, { status: { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] } }, 'application/merge-patch+json');
    const r = await c.get(PR, TABLE);
    expect(r.body.columnDefinitions.map((d: { name: string }) => d.name)).toEqual(['Name', 'Succeeded', 'Reason', 'StartTime', 'CompletionTime']);
    expect(r.body.rows[0].cells).toEqual(['b-1', 'False', 'Failed', null, null]);
  });

  it('serves plain JSON without the Table Accept header', async () => {
    const r = await c.get(CM);
    expect(r.body.kind).toBe('ConfigMapList');
  });
});
