import { ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CLUSTER_REGISTRY_NAMES, StreamRegistry, type InClusterRegistryOptions } from '../../../../constructs/system/registry';
import { System } from '../../../../constructs/system/system';
import { parseReference } from '../../../../lib/api/image-reference';
import { freePort, run } from '../../../support/registry/exec';
import { REGISTRY_AUTH_KEYS, REGISTRY_USERNAME } from '../../../../lib/api/registry-credentials';
import { newCredentials } from '../../../../lib/runtime/registry-credentials/ensure-credentials';
import { basic, MANIFEST_TYPES, rawRequest } from '../../../support/registry/http-probe';
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
  readinessProbe: object;
}
interface PodSpec {
  securityContext: { runAsUser: number; runAsGroup: number; fsGroup: number };
  containers: Container[];
  volumes: Array<{ name: string; secret?: { secretName: string; items: Array<{ key: string; path: string }>; defaultMode: number } }>;
}

interface RunningPod {
  readonly dir: string;
  readonly host: string;
  readonly env: Record<string, string>;
  readonly pod: PodSpec;
  readonly container: Container;
  stop(): Promise<void>;
}

const registry = StreamRegistry.inCluster();
const credentials = newCredentials();
const login = { username: credentials.username, password: credentials.password };
let running: RunningPod;
let pruning: RunningPod;

/** The registry Deployment of a System with `options`, run as its pod would run it, with the auth Secret's htpasswd file at its mount. */
async function startRegistryPod(options: InClusterRegistryOptions, reg = StreamRegistry.inCluster(options)): Promise<RunningPod> {
  const system = new System(Testing.app(), 'imagestreams', { registry: reg });
  const deployment = Testing.synth(system).find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-registry');
  const pod = deployment.spec.template.spec as PodSpec;
  const container = pod.containers[0];
  const dir = mkdtempSync(join(tmpdir(), 'registry-pod-'));
  chmodSync(dir, 0o755); // the registry runs as the pod's uid, not as root
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  chownSync(storage, 0, pod.securityContext.fsGroup); // what the kubelet does to a volume for fsGroup
  chmodSync(storage, 0o2775);
  // The auth Secret's volume: its htpasswd key as a file, group-readable through fsGroup (defaultMode 0440)
  const auth = pod.volumes.find((v) => v.name === 'auth')!.secret!;
  expect(auth.secretName).toBe(IN_CLUSTER_REGISTRY_NAMES.authSecret);
  const authDir = join(dir, 'auth');
  mkdirSync(authDir);
  for (const item of auth.items) {
    expect(item.key).toBe(REGISTRY_AUTH_KEYS.htpasswd);
    writeFileSync(join(authDir, item.path), credentials.htpasswd, { mode: auth.defaultMode });
    chownSync(join(authDir, item.path), 0, pod.securityContext.fsGroup);
  }
  const authMount = container.volumeMounts.find((m) => m.name === 'auth')!.mountPath;
  writeFileSync(join(dir, 'config.yml'), IMAGE_CONFIG(join(dir, 'decoy')));
  const host = `127.0.0.1:${await freePort()}`;
  const env = containerEnv(container, { ':5000': host, [mountPath(container, 'storage')]: storage, [`${authMount}/htpasswd`]: join(authDir, 'htpasswd') });
  const log = openSync(join(dir, 'registry.log'), 'w');
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
    env: { PATH: process.env.PATH, ...env },
    uid: pod.securityContext.runAsUser,
    gid: pod.securityContext.runAsGroup,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  await becomesReady(child, dir, host, container);
  return {
    dir, host, env, pod, container,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

beforeAll(async () => {
  running = await startRegistryPod({}, registry);
  pruning = await startRegistryPod({ allowDeletes: true });
});

afterAll(async () => {
  await running?.stop();
  await pruning?.stop();
});

function mountPath(c: Container, volume: string): string {
  return c.volumeMounts.find((m) => m.name === volume)!.mountPath;
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

/** What the kubelet's probe does: the registry is ready once its port accepts connections; /v2/ then asks for credentials. */
async function becomesReady(child: ChildProcess, dir: string, host: string, c: Container): Promise<void> {
  expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    const status = await rawRequest('GET', `http://${host}/v2/`).then((r) => r.status, () => undefined);
    if (status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the registry did not become ready: ${readFileSync(join(dir, 'registry.log'), 'utf8')}`);
}

describe('the registry container\'s auth, with the credentials the System\'s Job makes', () => {
  it('refuses anonymous pushes and pulls, and a wrong password, with 401', async () => {
    // GIVEN an image pushed with the credentials
    const { digest } = await pushImage(running.host, 'apps/private:v1', { credentials: login });
    // WHEN it is pulled without them, or with a wrong password THEN the registry answers 401 and asks for basic auth
    const anonymous = await rawRequest('GET', `http://${running.host}/v2/apps/private/manifests/${digest}`, { Accept: MANIFEST_TYPES });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="imagestreams-registry"');
    const wrong = await rawRequest('GET', `http://${running.host}/v2/apps/private/manifests/${digest}`, { Accept: MANIFEST_TYPES, Authorization: basic(login.username, 'not-the-password') });
    expect(wrong.status).toBe(401);
    // AND an anonymous push fails
    await expect(pushImage(running.host, 'apps/private:v2')).rejects.toThrow(/401|unauthorized|authentication required/i);
    // AND with the credentials the image is served
    const pulled = await rawRequest('GET', `http://${running.host}/v2/apps/private/manifests/${digest}`, { Accept: MANIFEST_TYPES, Authorization: basic(login.username, login.password) });
    expect(pulled.status).toBe(200);
  });

  it('gives no other user a way in: the htpasswd file holds the one user, its hash bcrypt', () => {
    expect(credentials.htpasswd).toMatch(new RegExp(`^${REGISTRY_USERNAME}:\\$2b\\$\\d\\d\\$[./A-Za-z0-9]{53}\n$`));
  });
});

describe('the registry container, run with the env vars its Deployment declares', () => {
  it('stores what builds push on the volume the storage env var names, as the pod user', async () => {
    // GIVEN the repository a build of stream apps/foo pushes to
    const repository = parseReference(registry.repositoryFor('apps', 'foo').push).repository;
    expect(repository).toBe('apps/foo');
    // WHEN an image is pushed there
    const { digest } = await pushImage(running.host, `${repository}:latest`, { credentials: login });
    // THEN the registry serves it by tag with that digest
    const head = await rawRequest('HEAD', `http://${running.host}/v2/${repository}/manifests/latest`, { Accept: MANIFEST_TYPES, Authorization: basic(login.username, login.password) });
    expect(head.status).toBe(200);
    expect(head.headers['docker-content-digest']).toBe(digest);
    // AND it is stored under the storage mount, not where the image's config file points
    expect(readdirSync(join(running.dir, 'storage', 'docker', 'registry', 'v2', 'repositories', 'apps'))).toContain('foo');
    expect(existsSync(join(running.dir, 'decoy'))).toBe(false);
    // AND written by the pod's user, through the group that fsGroup gives the volume
    expect(statSync(join(running.dir, 'storage', 'docker')).uid).toBe(running.pod.securityContext.runAsUser);
    expect(running.pod.securityContext.runAsUser).not.toBe(0);
  });

  it('refuses deletes (405) unless allowDeletes, as REGISTRY_STORAGE_DELETE_ENABLED says', async () => {
    // GIVEN a pushed tag on the default registry and on one with allowDeletes
    expect(running.env.REGISTRY_STORAGE_DELETE_ENABLED).toBe('false');
    expect(pruning.env.REGISTRY_STORAGE_DELETE_ENABLED).toBe('true');
    for (const r of [running, pruning]) await pushImage(r.host, 'apps/bar:v1', { credentials: login });
    // WHEN it is deleted over the API with the credentials
    // THEN the default registry refuses (distribution answers 405 Unsupported) and keeps it
    await expect(deleteTag(running.host, 'apps/bar:v1', login)).rejects.toThrow(/405|unsupported|not supported/i);
    const auth = { Accept: MANIFEST_TYPES, Authorization: basic(login.username, login.password) };
    expect((await rawRequest('HEAD', `http://${running.host}/v2/apps/bar/manifests/v1`, auth)).status).toBe(200);
    // AND the pruning one deletes it
    await deleteTag(pruning.host, 'apps/bar:v1', login);
    expect((await rawRequest('HEAD', `http://${pruning.host}/v2/apps/bar/manifests/v1`, auth)).status).toBe(404);
  });

  it('reclaims the blobs of deleted images with the garbage-collect command the docs give, run with the same env', async () => {
    // GIVEN an image whose only tag was deleted, so that its blobs are unreferenced
    await pushImage(pruning.host, 'apps/gone:v1', { content: 'a layer nobody references after the delete', credentials: login });
    await deleteTag(pruning.host, 'apps/gone:v1', login);
    const blobRoot = join(pruning.dir, 'storage', 'docker', 'registry', 'v2', 'blobs', 'sha256');
    // blobs/sha256/<first two hex digits>/<digest>/data
    const blobs = () => readdirSync(blobRoot).flatMap((prefix) => readdirSync(join(blobRoot, prefix))).length;
    const before = blobs();
    // WHEN garbage-collect runs as `kubectl exec` would run it: the container's env, the image's config file
    await run('env', ['-i', `PATH=${process.env.PATH}`, ...Object.entries(pruning.env).map(([k, v]) => `${k}=${v}`),
      '/usr/bin/docker-registry', 'garbage-collect', '--delete-untagged', join(pruning.dir, 'config.yml')]);
    // THEN blobs were removed from the storage the env names
    expect(blobs()).toBeLessThan(before);
  });
});
