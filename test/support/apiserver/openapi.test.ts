import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TestClient } from './testing';

let c: TestClient;
beforeAll(async () => {
  c = await startTestServer();
});
afterAll(async () => {
  await c.server.close();
});

describe('/openapi/v3', () => {
  it('indexes each group-version with a hashed serverRelativeURL', async () => {
    const r = await c.get('/openapi/v3');
    expect(r.body.paths['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{32}$/);
    expect(r.body.paths['api/v1']).toBeDefined();
  });

  it('declares fieldValidation on each kind\'s PATCH so kubectl validates server-side', async () => {
    const r = await c.get('/openapi/v3/apis/apps/v1');
    const op = r.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(op['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(op.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
  });

  it('answers 404 for a group-version that is not served', async () => {
    expect((await c.get('/openapi/v3/apis/nope/v1')).status).toBe(404);
  });
});
