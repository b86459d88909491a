import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Size } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../constructs';
import { formatBytes, garbageCollectedMessage } from '../../lib/api/storage-usage';
import type { StreamObject } from '../../lib/runtime/imagestreams/streams';
import { cli } from '../support/cli';
import { basic, MANIFEST_TYPES, rawRequest } from '../support/registry/http-probe';
import { pushImage, pushManifestList } from '../support/registry/images';
import { pushRandomImage } from '../support/registry/random-image';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { synthApp } from '../support/synth-app';
import { cliKube, type CliKube } from './cluster';

const USER = { username: 'imagestreams', password: 'usage-test-password' };

// On the real API server and the real CNCF registry: the System's PersistentVolumeClaim and streams
// synthesized by the constructs, images pushed as builds push them, one recorded only in a history.
describe('imagestreams registry usage', () => {
  let k: CliKube;
  let registry: RunningRegistry;
  let dir: string;
  let systemNamespace: string;
  beforeAll(async () => {
    [k, registry] = await Promise.all([cliKube('cli-registry-usage'), startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password } })]);
    dir = mkdtempSync(join(tmpdir(), 'registry-usage-'));
    systemNamespace = await k.newNamespace('usage-system');
    await k.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: systemNamespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'imagestreams-registry-auth' },
      data: { username: b64(USER.username), password: b64(USER.password) },
    } as never);
  });
  afterAll(async () => {
    k?.close();
    await registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const usage = (...args: string[]) => cli(dir, 'registry', 'usage', '--registry-url', registry.url, '--system-namespace', systemNamespace, '--kubeconfig', k.kubeconfigPath, ...args);
  const get = async (repository: string, digest: string) =>
    rawRequest('GET', `${registry.url}/v2/${repository}/manifests/${digest}`, { accept: MANIFEST_TYPES, authorization: basic(USER.username, USER.password) });

  /** A manifest's own bytes and its blobs' (config and layers), by digest, read from the registry. */
  async function stored(repository: string, digest: string): Promise<Map<string, number>> {
    const res = await get(repository, digest);
    const manifest = JSON.parse(res.body) as { config?: { digest: string; size: number }; layers?: { digest: string; size: number }[]; manifests?: { digest: string }[] };
    const all = new Map([[digest, Buffer.byteLength(res.body)]]);
    for (const b of [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? [])]) all.set(b.digest, b.size);
    for (const child of manifest.manifests ?? []) for (const [d, s] of await stored(repository, child.digest)) all.set(d, s);
    return all;
  }

  it('reports each repository, the manifests its tags and the histories name, each blob once, and warns near full', async () => {
    // GIVEN the System's claim (16Ki, so that a few images fill it), two streams and a cache repository
    const ns = k.namespace;
    const app = synthApp(({ chart }) => {
      new ImageStream(chart(ns), 'app');
      new ImageStream(chart(ns), 'tool');
    }, { namespace: systemNamespace, createNamespace: false, registry: StreamRegistry.inCluster({ storage: Size.kibibytes(16) }) });
    await k.apply([...app.find('PersistentVolumeClaim'), ...app.find('ImageStream')]);
    const creds = { credentials: USER };
    const a1 = await pushImage(registry.host, `${ns}/app:latest`, creds);
    const a2 = await pushImage(registry.host, `${ns}/app:latest`, creds);
    const tool = await pushManifestList(registry.host, `${ns}/tool:latest`, { platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }], credentials: USER });
    const cache = await pushImage(registry.host, `${ns}/app/cache:k1`, creds);
    // AND a1 is no longer tagged, but app's history records it
    const streams = k.imageStreams();
    const fresh = await streams.get('app');
    const item = (digest: string) => ({ dockerImageReference: `imagestreams-registry.${systemNamespace}.svc:5000/${ns}/app@${digest}`, image: digest, created: '2026-01-01T00:00:00Z' });
    await streams.updateStatus({ ...fresh, status: { tags: [{ tag: 'latest', items: [item(a2.digest), item(a1.digest)] }] } } as StreamObject);
    const expected = {
      app: new Map([...await stored(`${ns}/app`, a1.digest), ...await stored(`${ns}/app`, a2.digest)]),
      cache: await stored(`${ns}/app/cache`, cache.digest),
      tool: await stored(`${ns}/tool`, tool.digest),
    };
    const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    const total = sum(new Map([...expected.app, ...expected.cache, ...expected.tool]));

    // WHEN reported
    const run = await usage();
    // THEN each repository's tags, manifests (the tool index and its two images) and bytes, then the totals and the volume
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith(ns)).map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      [`${ns}/app`, '1', '2', formatBytes(sum(expected.app))],
      [`${ns}/app/cache`, '1', '1', formatBytes(sum(expected.cache))],
      [`${ns}/tool`, '1', '3', formatBytes(sum(expected.tool))],
    ]);
    expect(run.stdout).toContain(`Total: 3 repositories, 6 manifests, ${formatBytes(total)} in ${new Map([...expected.app, ...expected.cache, ...expected.tool]).size} blobs referenced\n`);
    const percent = Math.floor((total * 100) / (16 * 1024));
    expect(run.stdout).toContain(`Volume: 16.0 KiB (claim imagestreams-registry-storage); referenced: ${percent}%\n`);
    // AND past --warn-at, a warning says what to do; under it, none
    expect(percent).toBeGreaterThanOrEqual(10);
    expect((await usage('--warn-at', '10')).stderr).toBe(`warning: what the registry references fills ${percent}% of its volume (--warn-at 10%): prune images (imagestreams prune images --confirm) or give it more storage\n`);
    expect((await usage('--warn-at', '100')).stderr).toBe('');

    // WHEN the GC CronJob has reported the volume 95% full THEN that is shown and warned of too
    const deployment = app.one('Deployment', 'imagestreams-registry');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await k.kube.resource({ apiVersion: 'v1', resource: 'events', namespace: systemNamespace }).create({
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'imagestreams-registry.gc' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, namespace: systemNamespace },
      reason: 'GarbageCollected', type: 'Normal', message: garbageCollectedMessage({ usedBytes: 19 * 2 ** 30, availableBytes: 2 ** 30 }),
      firstTimestamp: now, lastTimestamp: now, count: 1, source: { component: 'imagestreams-registry-gc' },
    } as never);
    const after = await usage('--warn-at', '100');
    expect(after.stdout).toContain(`Last garbage collection (${now}): 19.0 GiB used, 1.0 GiB free (95% full)\n`);
    expect((await usage('--warn-at', '90')).stderr).toContain('warning: its volume was 95% full after the last garbage collection (--warn-at 90%)');
  });

  it("counts a mirrored tag's copies, which only its history names (its items name the source)", async () => {
    // GIVEN jdk8:latest mirrored, and two imports' copies in its repository, untagged as the importer pushes them
    const ns = await k.newNamespace('usage-mirror');
    const app = synthApp(({ chart }) => {
      new ImageStream(chart(ns), 'jdk8').importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk', referencePolicy: 'Local' });
    }, { namespace: systemNamespace, createNamespace: false, registry: StreamRegistry.inCluster() });
    await k.apply(app.find('ImageStream'));
    const copies = [await pushRandomImage(registry.host, `${ns}/jdk8`, { layers: [2000], credentials: USER }), await pushRandomImage(registry.host, `${ns}/jdk8`, { layers: [3000], credentials: USER })];
    const streams = k.imageStreams(ns);
    const fresh = await streams.get('jdk8');
    const items = copies.map((c) => ({ dockerImageReference: `docker.io/library/eclipse-temurin@${c.digest}`, image: c.digest, created: '2026-01-01T00:00:00Z' }));
    await streams.updateStatus({ ...fresh, status: { tags: [{ tag: 'latest', items }] } } as StreamObject);
    // WHEN reported THEN the stream's repository has no tag and the two manifests, with their bytes
    const run = await usage('--warn-at', '100');
    expect(run.code, run.stderr).toBe(0);
    const bytes = new Map([...await stored(`${ns}/jdk8`, copies[0].digest), ...await stored(`${ns}/jdk8`, copies[1].digest)]);
    const row = run.stdout.split('\n').filter((l) => l.startsWith(`${ns}/`)).map((l) => l.split(/\s{2,}/));
    expect(row).toEqual([[`${ns}/jdk8`, '0', '2', formatBytes([...bytes.values()].reduce((x, y) => x + y, 0))]]);
  });
});

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
