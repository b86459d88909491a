/** The stand-in as the real kubectl (/usr/bin/kubectl, 1.32) sees it. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ApiServer, startApiServer } from './index';
import { imageStream, imageStreamCrd, Loose, watchersOpen } from './testing';

let server: ApiServer;
let dir: string;
const children: ChildProcess[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function manifest(name: string, docs: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
  return path;
}

const deployment = (image: string, extra: Loose[] = []): Loose => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }, ...extra] } } },
});

beforeAll(async () => {
  server = await startApiServer();
  dir = mkdtempSync(join(tmpdir(), 'kubectl-test-'));
  const crd = await kubectl('apply', '-f', manifest('crd.yaml', [imageStreamCrd()]));
  if (crd.code !== 0) throw new Error(crd.stderr);
});

afterAll(async () => {
  for (const child of children) child.kill();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against the stand-in', () => {
  it('api-resources lists built-ins and the CRD with its short name', async () => {
    const r = await kubectl('api-resources');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(r.stdout).toMatch(/^imagestreams\s+is\s+imagestreams\.dev\/v1alpha1\s+true\s+ImageStream$/m);
  });

  it('apply -f creates, then reports unchanged, then configures a custom resource', async () => {
    const first = await kubectl('apply', '-f', manifest('is1.yaml', [imageStream('app', { historyLimit: 2 })]));
    const again = await kubectl('apply', '-f', manifest('is1.yaml', [imageStream('app', { historyLimit: 2 })]));
    const changed = await kubectl('apply', '-f', manifest('is1.yaml', [imageStream('app', { historyLimit: 5 })]));
    expect([first.stdout, again.stdout, changed.stdout]).toEqual([
      'imagestream.imagestreams.dev/app created\n',
      'imagestream.imagestreams.dev/app unchanged\n',
      'imagestream.imagestreams.dev/app configured\n',
    ]);
  });

  it('client-side apply removes a field dropped from the manifest (last-applied annotation)', async () => {
    await kubectl('apply', '-f', manifest('is2.yaml', [imageStream('drop', { historyLimit: 2, mode: 'Legacy' })]));
    await kubectl('apply', '-f', manifest('is2.yaml', [imageStream('drop', { historyLimit: 2 })]));
    const r = await kubectl('get', 'is', 'drop', '-o', 'json');
    const obj = JSON.parse(r.stdout);
    expect(obj.spec).toEqual({ historyLimit: 2 });
    expect(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"historyLimit":2');
  });

  it('client-side apply of a Deployment merges containers strategically (image change, removed container)', async () => {
    const sidecar = { name: 'side', image: 'busybox' };
    await kubectl('apply', '-f', manifest('dep.yaml', [deployment('nginx:1', [sidecar])]));
    const r = await kubectl('apply', '-f', manifest('dep.yaml', [deployment('nginx:2')]));
    const live = JSON.parse((await kubectl('get', 'deploy', 'web', '-o', 'json')).stdout);
    expect(r.stdout).toBe('deployment.apps/web configured\n');
    expect(live.spec.template.spec.containers).toEqual([{ name: 'app', image: 'nginx:2' }]);
    expect(live.metadata.generation).toBe(2);
  });

  it('get by short name prints the printer columns', async () => {
    await kubectl('apply', '-f', manifest('is3.yaml', [imageStream('cols', { historyLimit: 7 })]));
    await kubectl('patch', 'is', 'cols', '--subresource', 'status', '--type', 'merge', '-p', JSON.stringify({ status: { tags: [{ tag: 'latest', items: [{ image: 'sha256:feed' }] }] } }));
    const r = await kubectl('get', 'is', 'cols');
    const [header, row] = r.stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'IMAGE', 'HISTORY', 'CREATED']);
    expect(row.split(/\s+/).slice(0, 3)).toEqual(['cols', 'sha256:feed', '7']);
    expect(row.split(/\s+/)[3]).toMatch(/^\d+s$/);
  });

  it('get -o json returns the object', async () => {
    await kubectl('apply', '-f', manifest('is4.yaml', [imageStream('json')]));
    const r = await kubectl('get', 'imagestreams.imagestreams.dev', 'json', '-o', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'json', namespace: 'default' }, spec: { historyLimit: 10 } });
  });

  it('rejects unknown fields through server-side field validation', async () => {
    const r = await kubectl('apply', '-f', manifest('bad.yaml', [imageStream('bad', { bogus: 1 })]));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.bogus"');
  });

  it('get --watch prints the current rows and then changes', async () => {
    await kubectl('apply', '-f', manifest('is5.yaml', [imageStream('watched', { historyLimit: 1 })]));
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), 'get', 'is', 'watched', '--watch']);
    children.push(child);
    let out = '';
    const lines = (n: number): Promise<string[]> =>
      new Promise((resolve) => {
        const check = (): void => {
          const all = out.split('\n').filter((l) => l.trim());
          if (all.length >= n) resolve(all);
        };
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        check();
      });
    await lines(2);
    await watchersOpen(server, 'imagestreams.imagestreams.dev');
    await kubectl('patch', 'is', 'watched', '--type', 'merge', '-p', '{"spec":{"historyLimit":9}}');
    const all = await lines(3);
    child.kill();
    expect(all[0].split(/\s+/)).toEqual(['NAME', 'IMAGE', 'HISTORY', 'CREATED']);
    expect(all[1].split(/\s+/).slice(0, 2)).toEqual(['watched', '1']);
    expect(all[2].split(/\s+/).slice(0, 2)).toEqual(['watched', '9']);
  });

  it('patch --type merge and --type json', async () => {
    await kubectl('apply', '-f', manifest('is6.yaml', [imageStream('patched')]));
    const merge = await kubectl('patch', 'is', 'patched', '--type', 'merge', '-p', '{"spec":{"historyLimit":3}}');
    const json = await kubectl('patch', 'is', 'patched', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/historyLimit","value":4}]');
    const failed = await kubectl('patch', 'is', 'patched', '--type', 'json', '-p', '[{"op":"test","path":"/spec/historyLimit","value":99}]');
    const live = JSON.parse((await kubectl('get', 'is', 'patched', '-o', 'json')).stdout);
    expect([merge.stdout, json.stdout]).toEqual(['imagestream.imagestreams.dev/patched patched\n', 'imagestream.imagestreams.dev/patched patched\n']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('testing value /spec/historyLimit failed: test failed');
    expect(live.spec.historyLimit).toBe(4);
  });

  it('apply --server-side, a conflict with another field manager, and --force-conflicts', async () => {
    const path = manifest('ssa.yaml', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { key: 'one' } }]);
    const first = await kubectl('apply', '--server-side', '-f', path);
    const other = manifest('ssa2.yaml', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { key: 'two' } }]);
    const conflict = await kubectl('apply', '--server-side', '--field-manager', 'other', '-f', other);
    const forced = await kubectl('apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', other);
    const live = JSON.parse((await kubectl('get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields')).stdout);
    expect(first.stdout).toBe('configmap/ssa serverside-applied\n');
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('error: Apply failed with 1 conflict: conflict with "kubectl": .data.key');
    expect(forced.stdout).toBe('configmap/ssa serverside-applied\n');
    expect(live.data).toEqual({ key: 'two' });
    expect(live.metadata.managedFields.map((e: Loose) => `${e.manager}/${e.operation}`)).toEqual(['other/Apply']);
  });

  it('delete removes the object', async () => {
    await kubectl('apply', '-f', manifest('is7.yaml', [imageStream('gone')]));
    const r = await kubectl('delete', 'is', 'gone');
    const after = await kubectl('get', 'is', 'gone');
    expect(r.stdout).toBe('imagestream.imagestreams.dev "gone" deleted\n');
    expect(after.stderr).toContain('imagestreams.imagestreams.dev "gone" not found');
  });

  it('label and get with a label selector', async () => {
    await kubectl('apply', '-f', manifest('is8.yaml', [imageStream('labelled')]));
    await kubectl('label', 'is', 'labelled', 'tier=base');
    const r = await kubectl('get', 'is', '-l', 'tier=base', '-o', 'name');
    expect(r.stdout).toBe('imagestream.imagestreams.dev/labelled\n');
  });
});
