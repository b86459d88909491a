import { ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamRegistry } from '../../../../constructs/system/registry';
import { System } from '../../../../constructs/system/system';
import { parseReference } from '../../../../lib/api/image-reference';
import { freePort, run } from '../../../support/registry/exec';
import { MANIFEST_TYPES, rawRequest } from '../../../support/registry/http-probe';
import { deleteTag, pushImage } from '../../../support/registry/images';

/**
 * The registry runs as the Deployment declares it: the real distribution binary, the config file
 * the registry image ships (its storage root pointed at a decoy, so we can tell the env var won),
 * the container's env vars, the pod's uid/gid and a storage dir owned the way fsGroup leaves a volume.
 */
const IMAGE_CONFIG = (decoyRoot: string) => `version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: ${decoyRoot}
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
`;

interface Container {
  env: Array<{ name: string; value: string }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  readinessProbe: { httpGet: { path: string } };
}
interface PodSpec {
  securityContext: { runAsUser: number; runAsGroup: number; fsGroup: number };
  containers: Container[];
}

const registry = StreamRegistry.inCluster();
const system = new System(Testing.app(), 'imagestreams', { registry });
const deployment = Testing.synth(system).find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-registry');
const pod = deployment.spec.template.spec as PodSpec;
const container = pod.containers[0];

let dir: string;
let host: string;
let child: ChildProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registry-pod-'));
  chmodSync(dir, 0o755); // the registry runs as the pod's uid, not as root
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  chownSync(storage, 0, pod.securityContext.fsGroup); // what the kubelet does to a volume for fsGroup
  chmodSync(storage, 0o2775);
  writeFileSync(join(dir, 'config.yml'), IMAGE_CONFIG(join(dir, 'decoy')));
  host = `127.0.0.1:${await freePort()}`;
  env = containerEnv(container, { ':5000': host, [storageMountPath()]: storage });
  const log = openSync(join(dir, 'registry.log'), 'w');
  child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
    env: { PATH: process.env.PATH, ...env },
    uid: pod.securityContext.runAsUser,
    gid: pod.securityContext.runAsGroup,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  await becomesReady(`http://${host}${container.readinessProbe.httpGet.path}`);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

function storageMountPath(): string {
  return container.volumeMounts.find((m) => m.name === 'storage')!.mountPath;
}

/** The container's env as a process env, with the in-cluster values that differ here replaced. */
function containerEnv(c: Container, replace: Record<string, string>): Record<string, string> {
  const used = new Set<string>();
  const env = Object.fromEntries(c.env.map(({ name, value }) => {
    if (value in replace) used.add(value);
    return [name, replace[value] ?? value];
  }));
  // Each replaced value must be one the Deployment declares, or the test would run something else.
  expect([...used].sort()).toEqual(Object.keys(replace).sort());
  return env;
}

async function becomesReady(url: string): Promise<void> {
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    const status = await rawRequest('GET', url).then((r) => r.status, () => undefined);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the registry did not become ready: ${readFileSync(join(dir, 'registry.log'), 'utf8')}`);
}

describe('the registry container, run with the env vars its Deployment declares', () => {
  it('stores what builds push on the volume the storage env var names, as the pod user', async () => {
    // GIVEN the repository a build of stream apps/foo pushes to
    const repository = parseReference(registry.repositoryFor('apps', 'foo').push).repository;
    expect(repository).toBe('apps/foo');
    // WHEN an image is pushed there
    const { digest } = await pushImage(host, `${repository}:latest`);
    // THEN the registry serves it by tag with that digest
    const head = await rawRequest('HEAD', `http://${host}/v2/${repository}/manifests/latest`, { Accept: MANIFEST_TYPES });
    expect(head.status).toBe(200);
    expect(head.headers['docker-content-digest']).toBe(digest);
    // AND it is stored under the storage mount, not where the image's config file points
    expect(readdirSync(join(dir, 'storage', 'docker', 'registry', 'v2', 'repositories', 'apps'))).toEqual(['foo']);
    expect(existsSync(join(dir, 'decoy'))).toBe(false);
    // AND written by the pod's user, through the group that fsGroup gives the volume
    expect(statSync(join(dir, 'storage', 'docker')).uid).toBe(pod.securityContext.runAsUser);
    expect(pod.securityContext.runAsUser).not.toBe(0);
  });

  it('allows deletes, as REGISTRY_STORAGE_DELETE_ENABLED says', async () => {
    // GIVEN a pushed tag
    await pushImage(host, 'apps/bar:v1');
    // WHEN it is deleted over the API (distribution answers 405 when deletes are off)
    await deleteTag(host, 'apps/bar:v1');
    // THEN it is gone
    const head = await rawRequest('HEAD', `http://${host}/v2/apps/bar/manifests/v1`, { Accept: MANIFEST_TYPES });
    expect(head.status).toBe(404);
  });

  it('reclaims the blobs of deleted images with the garbage-collect command the docs give, run with the same env', async () => {
    // GIVEN an image whose only tag was deleted, so that its blobs are unreferenced
    await pushImage(host, 'apps/gone:v1', { content: 'a layer nobody references after the delete' });
    await deleteTag(host, 'apps/gone:v1');
    const blobRoot = join(dir, 'storage', 'docker', 'registry', 'v2', 'blobs', 'sha256');
    // blobs/sha256/<first two hex digits>/<digest>/data
    const blobs = () => readdirSync(blobRoot).flatMap((prefix) => readdirSync(join(blobRoot, prefix))).length;
    const before = blobs();
    // WHEN garbage-collect runs as `kubectl exec` would run it: the container's env, the image's config file
    await run('env', ['-i', `PATH=${process.env.PATH}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      '/usr/bin/docker-registry', 'garbage-collect', '--delete-untagged', join(dir, 'config.yml')]);
    // THEN blobs were removed from the storage the env names
    expect(blobs()).toBeLessThan(before);
  });
});
