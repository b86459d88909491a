import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../constructs';
import type { StreamObject } from '../../lib/runtime/imagestreams/streams';
import { cli } from '../support/cli';
import { freePort } from '../support/registry/exec';
import { basic, MANIFEST_TYPES, rawRequest } from '../support/registry/http-probe';
import { pushImage, pushManifestList } from '../support/registry/images';
import { pushRandomImage } from '../support/registry/random-image';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp } from '../support/synth-app';
import { cliKube, type CliKube } from './cluster';

const USER = { username: 'imagestreams', password: 'prune-test-password' };
const MINUTE = 60_000;

// On the real API server and the real CNCF registry (htpasswd, deletes allowed): streams synthesized
// with StreamRegistry.inCluster() in a System namespace of the test's own, histories written as imports
// and builds record them, workloads created as their owners would.
describe('imagestreams prune images', () => {
  let k: CliKube;
  let registry: RunningRegistry;
  let dir: string;
  let systemNamespace: string;
  let registryHost: string;
  beforeAll(async () => {
    [k, registry] = await Promise.all([cliKube('cli-prune'), startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password } })]);
    dir = mkdtempSync(join(tmpdir(), 'prune-'));
    systemNamespace = await k.newNamespace('prune-system');
    registryHost = `imagestreams-registry.${systemNamespace}.svc:5000`;
    await k.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: systemNamespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'imagestreams-registry-auth' },
      data: { username: b64(USER.username), password: b64(USER.password), htpasswd: b64('unused by the CLI') },
    } as never);
  });
  afterAll(async () => {
    k?.close();
    await registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const prune = (...args: string[]) => cli(dir, 'prune', 'images', '--registry-url', registry.url, '--system-namespace', systemNamespace, '--kubeconfig', k.kubeconfigPath, ...args);
  const exists = async (repository: string, digest: string) =>
    (await rawRequest('HEAD', `${registry.url}/v2/${repository}/manifests/${digest}`, { accept: MANIFEST_TYPES, authorization: basic(USER.username, USER.password) })).status;
  const creds = { username: USER.username, password: USER.password };

  /** Streams synthesized by the constructs with the in-cluster registry of the test's System namespace, created in `namespace`. */
  async function createStreams(namespace: string, names: readonly string[]): Promise<void> {
    const app = synthApp(({ chart }) => {
      for (const name of names) new ImageStream(chart(namespace), name);
    }, { namespace: systemNamespace, registry: StreamRegistry.inCluster({ allowDeletes: true }) });
    const streams = app.find('ImageStream');
    expect(streams.map((s) => s.spec.imageRepository)).toEqual(names.map((n) => `${registryHost}/${namespace}/${n}`));
    await k.apply(streams);
  }

  /** A tag's history, newest first, as builds record it: each item `ageMinutes` old. */
  async function record(namespace: string, stream: string, tag: string, items: ReadonlyArray<{ digest: string; ageMinutes: number; repository?: string }>): Promise<void> {
    const client = k.imageStreams(namespace);
    const fresh = await client.get(stream);
    const history = items.map((i) => ({
      dockerImageReference: `${registryHost}/${i.repository ?? `${namespace}/${stream}`}@${i.digest}`,
      image: i.digest,
      created: new Date(Date.now() - i.ageMinutes * MINUTE).toISOString().replace(/\.\d+Z$/, 'Z'),
    }));
    const others = (fresh.status?.tags ?? []).filter((t) => t.tag !== tag);
    await client.updateStatus({ ...fresh, status: { ...fresh.status, tags: [...others, { tag, items: history }] } } as StreamObject);
  }

  function blobs(): Set<string> {
    const root = join(registry.storageRoot, 'docker/registry/v2/blobs/sha256');
    return new Set(readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).map((hex) => `sha256:${hex}`)));
  }


  it('keeps every image a history within the limits, a workload or a tag refers to, deletes the rest only with --confirm, and GC frees their blobs', async () => {
    // GIVEN app's builds pushed a1..a6 to ns/app:latest (a6 tagged now), web's w1..w3, tool's multi-platform old and new index
    const ns = k.namespace;
    const other = await k.newNamespace('prune-other');
    await createStreams(ns, ['app', 'web', 'tool']);
    await createStreams(other, ['copy']);
    const a: string[] = [];
    for (let i = 1; i <= 6; i++) a.push((await pushImage(registry.host, `${ns}/app:latest`, { credentials: creds })).digest);
    const w: string[] = [];
    for (let i = 1; i <= 3; i++) w.push((await pushImage(registry.host, `${ns}/web:latest`, { credentials: creds })).digest);
    const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
    const oldIndex = await pushManifestList(registry.host, `${ns}/tool:latest`, { platforms, credentials: creds });
    const newIndex = await pushManifestList(registry.host, `${ns}/tool:latest`, { platforms, credentials: creds });
    // ...and a repository no stream owns (a build's layer cache), its first image untagged by the second
    const cacheOld = (await pushImage(registry.host, `${ns}/app/cache:k1`, { credentials: creds })).digest;
    await pushImage(registry.host, `${ns}/app/cache:k1`, { credentials: creds });
    // AND histories: a3 was recorded 10 minutes ago (younger than 60m); a2 is run by a Deployment
    // elsewhere, a1 by a Pending pod (through the nodes' pull host); web's w1 was promoted into another
    // namespace's stream, where it is the newest item
    await record(ns, 'app', 'latest', [
      { digest: a[5], ageMinutes: 200 }, { digest: a[4], ageMinutes: 300 }, { digest: a[3], ageMinutes: 400 },
      { digest: a[2], ageMinutes: 10 }, { digest: a[1], ageMinutes: 500 }, { digest: a[0], ageMinutes: 600 },
    ]);
    await record(ns, 'app', 'previous', [a[0], a[1], a[2], a[3]].map((digest) => ({ digest, ageMinutes: 700 })));
    await record(ns, 'web', 'latest', [{ digest: w[2], ageMinutes: 100 }, { digest: w[1], ageMinutes: 200 }, { digest: w[0], ageMinutes: 300 }]);
    await record(other, 'copy', 'prod', [{ digest: w[0], ageMinutes: 300, repository: `${ns}/web` }]);
    await record(ns, 'tool', 'latest', [{ digest: newIndex.digest, ageMinutes: 100 }, { digest: oldIndex.digest, ageMinutes: 200 }]);
    const workloads = await k.newNamespace('prune-workloads');
    await k.kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: workloads }).create(deployment('uses-a2', `${registryHost}/${ns}/app@${a[1]}`) as never);
    await k.kube.resource({ apiVersion: 'v1', resource: 'pods', namespace: workloads }).create(pod('uses-a1', `localhost:30500/${ns}/app@${a[0]}`) as never);
    const byName = (x: string[], y: string[]) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]);
    const expected = [
      [`${ns}/tool`, oldIndex.digest],
      ...[[`${ns}/app`, a[3]], [`${ns}/app`, a[4]], [`${ns}/web`, w[1]], ...oldIndex.manifests.map((m) => [`${ns}/tool`, m.digest])].sort(byName),
    ];
    const kept = [
      ...[a[0], a[1], a[2], a[5]].map((d) => [`${ns}/app`, d]), [`${ns}/web`, w[0]], [`${ns}/web`, w[2]],
      ...newIndex.manifests.map((m) => [`${ns}/tool`, m.digest]), [`${ns}/app/cache`, cacheOld],
    ];
    const doomedBlobs = [...expected.map(([, d]) => d), ...(await Promise.all(expected.slice(1).map(([r, d]) => blobsOf(r, d)))).flat()];

    // WHEN pruned with --keep-tag-revisions 1, a dry run
    const dryRun = await prune('--keep-tag-revisions', '1');
    // THEN it lists exactly what no one keeps: a4, a5, w2, the old index first, then its two images
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const listed = dryRun.stdout.split('\n').slice(1).filter((l) => l.startsWith(ns)).map((l) => l.split(/\s+/).slice(0, 2));
    expect(listed).toEqual(expected);
    expect(dryRun.stdout).toContain(`${a[4]}  ${ns}/app:latest revision 2, recorded`);
    expect(dryRun.stdout).toContain(`listed by ${oldIndex.digest}`);
    expect(dryRun.stdout).toContain('Dry run: would delete 6 manifests (4 stream repositories');
    // AND deletes nothing: each is still there, and the registry saw no DELETE
    for (const [repository, digest] of expected) expect(await exists(repository, digest)).toBe(200);
    expect((await registry.accessLog()).filter((e) => e.method === 'DELETE')).toEqual([]);

    // WHEN confirmed
    const confirmed = await prune('--keep-tag-revisions', '1', '--confirm');
    // THEN exactly the listed manifests were deleted (one DELETE each), and every kept one is there
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('Deleted 6 manifests.');
    const deletes = (await registry.accessLog()).filter((e) => e.method === 'DELETE');
    expect(deletes).toEqual(expected.map(([r, d]) => ({ method: 'DELETE', path: `/v2/${r}/manifests/${d}`, status: 202 })));
    for (const [repository, digest] of expected) expect(await exists(repository, digest)).toBe(404);
    for (const [repository, digest] of [...kept, [`${ns}/tool`, newIndex.digest]]) expect(await exists(repository, digest), `${repository}@${digest}`).toBe(200);

    // WHEN the registry's garbage collection runs THEN the blobs only the deleted manifests used are
    // gone from the blob store, and every blob of a kept manifest is there
    expect([...blobs()].filter((b) => doomedBlobs.includes(b))).toHaveLength(new Set(doomedBlobs).size);
    await registry.garbageCollect();
    const after = blobs();
    expect(doomedBlobs.filter((b) => after.has(b))).toEqual([]);
    for (const [repository, digest] of kept) for (const blob of [digest, ...await blobsOf(repository, digest)]) expect(after.has(blob), blob).toBe(true);

    // AND a second run finds nothing to prune
    expect((await prune('--keep-tag-revisions', '1')).stdout).toMatch(/^Nothing to prune \(4 stream repositories/);
  });

  it('keeps 3 revisions and what is younger than 60m by default, not what a finished pod ran, --keep-younger-than widens it; a missing Secret or a bad count is a clear error', async () => {
    // GIVEN a stream with 4 old items, the oldest untagged in the registry
    await createStreams(k.namespace, ['four']);
    const d: string[] = [];
    for (let i = 0; i < 4; i++) d.push((await pushImage(registry.host, `${k.namespace}/four:latest`, { credentials: creds })).digest);
    await record(k.namespace, 'four', 'latest', [...d].reverse().map((digest) => ({ digest, ageMinutes: 120 })));
    // AND a pod that ran the oldest one has finished (Succeeded: it runs nothing any more)
    const pods = k.kube.resource({ apiVersion: 'v1', resource: 'pods', namespace: k.namespace });
    await pods.create(pod('ran-four', `${registryHost}/${k.namespace}/four@${d[0]}`) as never);
    await pods.mergePatchStatus('ran-four', { status: { phase: 'Succeeded' } });
    // WHEN pruned with the defaults THEN only the 4th item is listed
    const run = await prune();
    expect(run.stdout).toContain(`${k.namespace}/four  ${d[0]}  ${k.namespace}/four:latest revision 4`);
    expect(run.stdout).not.toContain(d[1]);
    // WHEN --keep-younger-than 3h THEN nothing of it is (the items are 2 hours old)
    expect((await prune('--keep-younger-than', '3h')).stdout).not.toContain(d[0]);
    // WHEN the Secret is not in --system-namespace THEN a clear error
    const wrong = await cli(dir, 'prune', 'images', '--registry-url', registry.url, '--system-namespace', k.namespace, '--kubeconfig', k.kubeconfigPath);
    expect(wrong).toEqual({ code: 1, stdout: '', stderr: `error: secret "imagestreams-registry-auth" not found in namespace "${k.namespace}": is the System's in-cluster registry installed there? (--system-namespace names another)\n` });
    // WHEN the registry can't be reached THEN the error says where, and how to reach it from outside
    const port = await freePort();
    const unreachable = await cli(dir, 'prune', 'images', '--registry-url', `http://127.0.0.1:${port}`, '--system-namespace', systemNamespace, '--kubeconfig', k.kubeconfigPath);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^error: the registry at http://127.0.0.1:${port}: .*ECONNREFUSED.*: from outside the cluster, 'kubectl -n imagestreams-system port-forward svc/imagestreams-registry 5000' and pass --registry-url http://localhost:5000\\n$`));
    expect((await cli(dir, 'prune', 'images', '--keep-tag-revisions', 'x')).stderr).toBe("error: --keep-tag-revisions (x) must be a whole number, 0 or more\nsee 'imagestreams prune --help'\n");
  });

  it("prunes a mirrored tag's copies in the stream's repository by its history, whose items name the source", async () => {
    // GIVEN jdk8:latest mirrored (referencePolicy Local) into the in-cluster registry
    const ns = await k.newNamespace('prune-mirror');
    const app = synthApp(({ chart }) => {
      new ImageStream(chart(ns), 'jdk8').importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk', referencePolicy: 'Local' });
    }, { namespace: systemNamespace, registry: StreamRegistry.inCluster({ allowDeletes: true }) });
    await k.apply(app.find('ImageStream'));
    // AND three imports' copies there, by digest and untagged as the importer pushes them
    const m: string[] = [];
    for (let i = 0; i < 3; i++) m.push((await pushRandomImage(registry.host, `${ns}/jdk8`, { layers: [1000], credentials: creds })).digest);
    // AND its history as imports record it: the source's references, newest first, two hours old
    const client = k.imageStreams(ns);
    const fresh = await client.get('jdk8');
    const created = new Date(Date.now() - 120 * MINUTE).toISOString().replace(/\.\d+Z$/, 'Z');
    const items = [...m].reverse().map((digest) => ({ dockerImageReference: `docker.io/library/eclipse-temurin@${digest}`, image: digest, created }));
    await client.updateStatus({ ...fresh, status: { tags: [{ tag: 'latest', items }] } } as StreamObject);
    // WHEN pruned, keeping one revision
    const run = await prune('--keep-tag-revisions', '1', '--confirm');
    // THEN the two older copies are deleted from the stream's repository, the newest (what consumers pull) stays
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${ns}/jdk8  ${m[1]}  ${ns}/jdk8:latest revision 2`);
    expect(await exists(`${ns}/jdk8`, m[2])).toBe(200);
    expect(await exists(`${ns}/jdk8`, m[1])).toBe(404);
    expect(await exists(`${ns}/jdk8`, m[0])).toBe(404);
  });

  async function blobsOf(repository: string, digest: string): Promise<string[]> {
    const res = await rawRequest('GET', `${registry.url}/v2/${repository}/manifests/${digest}`, { accept: MANIFEST_TYPES, authorization: basic(USER.username, USER.password) });
    const manifest = JSON.parse(res.body) as { config: { digest: string }; layers: { digest: string }[] };
    return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
  }
});

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function deployment(name: string, image: string): object {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image }] } } },
  };
}

function pod(name: string, image: string): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image }] } };
}
