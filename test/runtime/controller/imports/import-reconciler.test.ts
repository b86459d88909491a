import type { Chart } from 'cdk8s';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../../../constructs';
import type { NamedTagEventList } from '../../../../lib/api/imagestream';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { startFaultProxy, type FaultProxy } from '../../../support/registry/fault-proxy';
import { pushImage } from '../../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';
import { synthApp } from '../../../support/synth-app';
import { startTriggerCluster, type TriggerCluster } from '../cluster';
import { eventually } from '../eventually';

const CREDENTIALS = { username: 'alice', password: 'wonderland' };

// The controller imports a tag when it is created and when the spec changes, as OpenShift does, on
// the real API server and against the real registry (behind the fault proxy, for the retries).
describe('ImportReconciler', () => {
  let cluster: TriggerCluster;
  let registry: RunningRegistry;
  let secured: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    [cluster, registry, secured] = await Promise.all([startTriggerCluster('imports'), startRegistry(), startRegistry({ auth: 'htpasswd' })]);
    proxy = await startFaultProxy(registry.host);
    await cluster.createPullSecret('secured-pull', secured.host, CREDENTIALS.username, CREDENTIALS.password);
    await cluster.startController({ imports: { registry: { timeoutMs: 5_000, backoffMs: 5 }, retryDelayMs: 200, retries: 8 } });
  });
  afterAll(async () => {
    await cluster?.close();
    await Promise.all([proxy?.close(), registry?.close(), secured?.close()]);
  });
  beforeEach(() => proxy.setRule(() => undefined));

  /** Creates the streams an app synthesizes, as kubectl or Argo CD would. */
  const create = (build: (chart: Chart) => void) =>
    cluster.apply(synthApp(({ chart }) => build(chart(cluster.namespace))).objects.filter((o) => o.kind === 'ImageStream'));
  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> =>
    (await cluster.streams().get(stream)).status?.tags?.find((t) => t.tag === tag);
  const images = async (stream: string, tag: string) => (await statusOf(stream, tag))?.items?.map((i) => i.image);
  const requestsFor = (repository: string) => proxy.requests.filter((r) => r.path.startsWith(`/v2/${repository}/`)).length;
  const events = async (reason: string) => (await cluster.kube.resource<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list())
    .items.filter((e) => e.reason === reason);

  it('imports every kind of importable tag when the stream is created: scheduled, scheduled: false, pinned (verified) — once', async () => {
    // GIVEN images in the registry
    const latest = (await pushImage(registry.host, 'team/new:latest')).digest;
    const manual = (await pushImage(registry.host, 'team/new:manual')).digest;
    const pinned = (await pushImage(registry.host, 'team/new:pinned')).digest;
    // WHEN a stream with a scheduled tag, a scheduled: false tag, a pinned tag and a reference tag is created
    await create((chart) => {
      const s = new ImageStream(chart, 'new');
      s.importTag('latest', { from: `${proxy.host}/team/new:latest`, insecure: true });
      s.importTag('manual', { from: `${proxy.host}/team/new:manual`, insecure: true, scheduled: false });
      s.pinTag('pinned', `${proxy.host}/team/new@${pinned}`, { insecure: true });
      s.referenceTag('ref', `${proxy.host}/team/new:ref`);
    });
    // THEN the controller imports the three at once, without waiting for a schedule; the reference tag is left alone
    await eventually(async () => expect(await images('new', 'latest')).toEqual([latest]), 15_000);
    await eventually(async () => expect(await images('new', 'manual')).toEqual([manual]));
    await eventually(async () => expect(await images('new', 'pinned')).toEqual([pinned]));
    expect(await statusOf('new', 'ref')).toBeUndefined();
    expect((await statusOf('new', 'manual'))!.conditions).toEqual([expect.objectContaining({ type: 'ImportSuccess', status: 'True', generation: 1 })]);
    // AND the pinned digest was verified: fetched once by digest
    expect(proxy.requests.filter((r) => r.method === 'GET' && r.path === `/v2/team/new/manifests/${pinned}`)).toHaveLength(1);
    // WHEN the registry's tags move, and the controller sees the stream again (a status write)
    await pushImage(registry.host, 'team/new:manual');
    const before = requestsFor('team/new');
    await cluster.pushImage('new', 'other', 'touch');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // THEN it imports nothing more: scheduled: false imports once, schedules are the CronJob's
    expect(requestsFor('team/new')).toBe(before);
    expect(await images('new', 'manual')).toEqual([manual]);
  });

  it('imports a tag again when its spec changes, and a tag added later', async () => {
    // GIVEN a stream imported at creation
    const one = (await pushImage(registry.host, 'team/change:one')).digest;
    const two = (await pushImage(registry.host, 'team/change:two')).digest;
    await create((chart) => new ImageStream(chart, 'change').importTag('v', { from: `${proxy.host}/team/change:one`, insecure: true, scheduled: false }));
    await eventually(async () => expect(await images('change', 'v')).toEqual([one]), 15_000);
    // WHEN its source changes, and a tag is added (as a new synthesis applied over it would)
    await create((chart) => {
      const s = new ImageStream(chart, 'change');
      s.importTag('v', { from: `${proxy.host}/team/change:two`, insecure: true, scheduled: false });
      s.importTag('added', { from: `${proxy.host}/team/change:one`, insecure: true, scheduled: false });
    });
    // THEN both are imported at once
    await eventually(async () => expect(await images('change', 'v')).toEqual([two, one]), 15_000);
    await eventually(async () => expect(await images('change', 'added')).toEqual([one]));
  });

  it('imports with the pull secrets the stream names', async () => {
    const digest = (await pushImage(secured.host, 'private/app:v1', { credentials: CREDENTIALS })).digest;
    await create((chart) => new ImageStream(chart, 'private', { pullSecrets: ['secured-pull'] }).importTag('v1', { from: `${secured.host}/private/app:v1`, insecure: true }));
    await eventually(async () => expect(await images('private', 'v1')).toEqual([digest]), 15_000);
  });

  it('reports a failed import in the condition and a Warning Event, and retries one that may pass when no schedule will', async () => {
    // GIVEN a registry (behind the proxy) that throttles for an hour, and a pinned digest it doesn't have
    const later = (await pushImage(registry.host, 'team/flaky:v1')).digest;
    proxy.setRule((r) => (r.path.startsWith('/v2/team/flaky/') ? { kind: 'throttle', retryAfter: '3600' } : undefined));
    const absent = `sha256:${'0'.repeat(64)}`;
    await create((chart) => {
      const s = new ImageStream(chart, 'flaky');
      s.importTag('v1', { from: `${proxy.host}/team/flaky:v1`, insecure: true, scheduled: false });
      s.pinTag('gone', `${proxy.host}/team/flaky@${absent}`, { insecure: true });
    });
    // THEN both fail, each with its reason, and the stream has a Warning Event per tag
    await eventually(async () => expect((await statusOf('flaky', 'v1'))?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'TooManyRequests' }), 15_000);
    await eventually(async () => expect((await events('ImportFailed')).filter((e) => e.involvedObject.name === 'flaky').map((e) => e.message.split(':')[0]).sort()).toEqual(['gone', 'v1']));
    // WHEN the registry stops throttling THEN the controller's retry imports v1 (NotFound is not retried)
    proxy.setRule(() => undefined);
    await eventually(async () => expect(await images('flaky', 'v1')).toEqual([later]), 15_000);
    expect((await statusOf('flaky', 'gone'))?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'NotFound' });
  });

  it('retries a mirrored tag whose copy into the stream registry failed for a reason that may pass, until it is copied and recorded', async () => {
    // GIVEN a stream registry with htpasswd auth, behind a proxy that answers 503 to every upload
    const streamRegistry = await startRegistry({ auth: 'htpasswd' });
    const front = await startFaultProxy(streamRegistry.host, (r) => (r.method === 'PATCH' ? { kind: 'status', status: 503 } : undefined), { forwardedHost: true });
    try {
      await cluster.createPullSecret('mirror-push', front.host, CREDENTIALS.username, CREDENTIALS.password);
      const digest = (await pushImage(registry.host, 'team/mirrored:1')).digest;
      // WHEN a stream whose tag mirrors (and no schedule retries) is created
      await cluster.apply(synthApp(({ chart }) => {
        new ImageStream(chart(cluster.namespace), 'mirrored').importTag('latest', { from: `${registry.host}/team/mirrored:1`, insecure: true, scheduled: false, referencePolicy: 'Local' });
      }, { registry: StreamRegistry.external({ host: front.host, insecure: true, pushSecret: 'mirror-push' }) }).objects.filter((o) => o.kind === 'ImageStream'));
      // THEN the copy fails: MirrorFailed in the condition and a Warning Event, nothing recorded
      await eventually(async () => expect((await statusOf('mirrored', 'latest'))?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MirrorFailed' }), 15_000);
      await eventually(async () => expect((await events('MirrorFailed')).filter((e) => e.involvedObject.name === 'mirrored').map((e) => e.message.split(':').slice(0, 2).join(':'))).toEqual(['latest: ServerError']));
      expect(await images('mirrored', 'latest')).toBeUndefined();
      // WHEN the stream registry takes uploads again THEN the controller's retry copies the image and records it
      front.setRule(() => undefined);
      await eventually(async () => expect(await images('mirrored', 'latest')).toEqual([digest]), 15_000);
      const served = await fetch(`http://${streamRegistry.host}/v2/${cluster.namespace}/mirrored/manifests/${digest}`, {
        method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json', authorization: `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}` },
      });
      expect(served.headers.get('docker-content-digest')).toBe(digest);
    } finally {
      await front.close();
      await streamRegistry.close();
    }
  }, 60_000);
});
