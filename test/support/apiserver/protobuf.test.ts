/** Protobuf bodies as the real kubectl encodes them (`kubectl create <generator>`). */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, startApiServer } from './index';
import { decodeProtobuf } from './protobuf';
import { clientFor } from './testing';

let server: ApiServer;
let cache: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', server.kubeconfigPath, '--cache-dir', cache, ...args], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  server = await startApiServer();
  cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
});
afterAll(async () => {
  await server.close();
  rmSync(cache, { recursive: true, force: true });
});

describe('decodeProtobuf', () => {
  it('ignores bodies without the k8s envelope', () => {
    expect(decodeProtobuf(Buffer.from('{"kind":"ConfigMap"}'))).toBeUndefined();
  });

  it('decodes a hand-made Namespace envelope', () => {
    // k8s\0 + Unknown{typeMeta{apiVersion "v1", kind "Namespace"}, raw Namespace{metadata{name "ns", labels {a: b}}}}
    const typeMeta = Buffer.from([0x0a, 0x02, ...Buffer.from('v1'), 0x12, 0x09, ...Buffer.from('Namespace')]);
    const label = Buffer.from([0x0a, 0x01, 0x61, 0x12, 0x01, 0x62]);
    const meta = Buffer.from([0x0a, 0x02, ...Buffer.from('ns'), 0x5a, label.length, ...label]);
    const raw = Buffer.from([0x0a, meta.length, ...meta]);
    const body = Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, typeMeta.length, ...typeMeta, 0x12, raw.length, ...raw])]);
    expect(decodeProtobuf(body)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: { a: 'b' } } });
  });
});

describe('kubectl create generators (protobuf bodies)', () => {
  it('creates a namespace, a configmap, secrets and a service account', async () => {
    const http = clientFor(server);
    const runs = [
      await kubectl('create', 'namespace', 'team'),
      await kubectl('create', 'configmap', 'c', '-n', 'team', '--from-literal=a=b'),
      await kubectl('create', 'secret', 'generic', 's', '-n', 'team', '--from-literal=pw=hunter2'),
      await kubectl('create', 'secret', 'docker-registry', 'reg', '-n', 'team', '--docker-server=r.io', '--docker-username=u', '--docker-password=p'),
      await kubectl('create', 'serviceaccount', 'bot', '-n', 'team'),
    ];
    expect(runs.map((r) => r.stdout)).toEqual(['namespace/team created\n', 'configmap/c created\n', 'secret/s created\n', 'secret/reg created\n', 'serviceaccount/bot created\n']);
    expect((await http.get('/api/v1/namespaces/team/configmaps/c')).body.data).toEqual({ a: 'b' });
    expect((await http.get('/api/v1/namespaces/team/secrets/s')).body).toMatchObject({ type: 'Opaque', data: { pw: Buffer.from('hunter2').toString('base64') } });
    expect((await http.get('/api/v1/namespaces/team/secrets/reg')).body.type).toBe('kubernetes.io/dockerconfigjson');
  });

  it('answers 415 for kinds it cannot decode', async () => {
    const r = await kubectl('create', 'deployment', 'web', '--image', 'nginx');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the body of the request was in an unknown format');
  });
});
