/**
 * Imports of a referencePolicy Local tag on the real API server, between two real registries: the
 * external one, and the stream's registry (htpasswd, its credentials in a pull secret of the stream)
 * behind the fault proxy, which answers 500 when told to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import { importStream } from '../../../lib/runtime/importer/import-stream';
import { reportImport } from '../../../lib/runtime/importer/report-import';
import { EventRecorder, type CoreEvent } from '../../../lib/runtime/machinery/events';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushRandomImage, pushRandomIndex } from '../../support/registry/random-image';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { localTag, startCluster, type TestCluster } from './cluster';

const LOGIN = { username: 'imagestreams', password: 'in-cluster' };
const silent = { log: () => undefined };

describe('importing a tag that mirrors', () => {
  let cluster: TestCluster;
  let external: RunningRegistry;
  let internal: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    [cluster, external, internal] = await Promise.all([startCluster('mirror'), startRegistry(), startRegistry({ auth: 'htpasswd', users: { [LOGIN.username]: LOGIN.password } })]);
    proxy = await startFaultProxy(internal.host, () => undefined, { forwardedHost: true });
    await cluster.createPullSecret('stream-registry', proxy.host, LOGIN.username, LOGIN.password);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await cluster?.close();
    await Promise.all([external?.close(), internal?.close()]);
  });

  const run = (stream: string) => importStream(cluster.kube, { namespace: cluster.namespace, stream, registry: { authCache: new AuthCache(), timeoutMs: 10_000, backoffMs: 1, sleep: async () => undefined } });
  const statusOf = async (stream: string): Promise<NamedTagEventList> => (await cluster.streams.get(stream)).status!.tags!.find((t) => t.tag === 'latest')!;
  const headInternal = async (path: string) => (await fetch(`http://${internal.host}${path}`, {
    method: 'HEAD', headers: { authorization: `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
  })).headers.get('docker-content-digest');

  it('records an image only once it is in the stream registry; a copy that fails is MirrorFailed, with an Event, and the last image kept', async () => {
    // GIVEN a stream whose latest tag mirrors into its repository of the stream registry
    const v1 = await pushRandomImage(external.host, 'team/app:1', { layers: [300_000] });
    await cluster.createStream('app', {
      imageRepository: `${proxy.host}/${cluster.namespace}/app`, imageRepositoryInsecure: true, pullSecrets: [{ name: 'stream-registry' }],
      tags: [{ ...localTag('latest', `${external.host}/team/app:1`), referencePolicy: { type: 'Local' } }],
    });
    // WHEN imported THEN the item is recorded, and the stream registry serves it under the same digest
    const first = await run('app');
    expect(first.results).toEqual([expect.objectContaining({ ok: true, image: v1.digest, mirror: { reference: `${proxy.host}/${cluster.namespace}/app@${v1.digest}`, blobsCopied: 2, blobsMounted: 0, blobsPresent: 0, bytes: v1.size } })]);
    expect((await statusOf('app')).items!.map((i) => i.image)).toEqual([v1.digest]);
    expect(await headInternal(`/v2/${cluster.namespace}/app/manifests/${v1.digest}`)).toBe(v1.digest);

    // WHEN the tag moves, and the stream registry answers 500 to every upload
    const v2 = await pushRandomImage(external.host, 'team/app:1', { layers: [300_000] });
    proxy.setRule((r) => (r.method === 'PATCH' ? { kind: 'status', status: 500 } : undefined));
    const failed = await run('app');
    // THEN the tag keeps v1, and says why in its condition
    expect(failed.results).toEqual([expect.objectContaining({ ok: false, reason: 'MirrorFailed', cause: 'ServerError' })]);
    const status = await statusOf('app');
    expect(status.items!.map((i) => i.image)).toEqual([v1.digest]);
    expect(status.conditions!.find((c) => c.type === 'ImportSuccess')).toMatchObject({ status: 'False', reason: 'MirrorFailed' });
    expect(status.conditions!.find((c) => c.type === 'ImportSuccess')!.message).toMatch(new RegExp(`^copying ${external.host}/team/app@${v2.digest} into ${proxy.host}/${cluster.namespace}/app: `));
    // AND the tries are bounded: 3 of each of v2's two blobs (copied side by side)
    expect(proxy.requests.filter((r) => r.fault === 'status')).toHaveLength(6);
    expect(await headInternal(`/v2/${cluster.namespace}/app/manifests/${v2.digest}`)).toBeNull();
    // AND the controller's report of it is a Warning Event MirrorFailed on the stream
    await reportImport(new EventRecorder(cluster.kube, 'test', 'test', silent), silent, `${cluster.namespace}/app`, failed);
    const events = (await cluster.kube.resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items;
    expect(events.filter((e) => e.involvedObject.name === 'app').map((e) => [e.type, e.reason, e.message.split(':')[0]])).toEqual([['Warning', 'MirrorFailed', 'latest']]);

    // WHEN the stream registry is well again THEN the next import copies and records v2
    proxy.setRule(() => undefined);
    const healed = await run('app');
    expect(healed.moved).toEqual(['latest']);
    expect((await statusOf('app')).items!.map((i) => i.image)).toEqual([v2.digest, v1.digest]);
    expect(await headInternal(`/v2/${cluster.namespace}/app/manifests/${v2.digest}`)).toBe(v2.digest);
    expect((await statusOf('app')).conditions!.find((c) => c.type === 'ImportSuccess')).toMatchObject({ status: 'True' });
  }, 120_000);

  it('a multi-platform image: Legacy copies the platform\'s manifest it records, PreserveOriginal the whole index', async () => {
    // GIVEN a manifest list of two platforms, and a stream following it both ways
    const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
    const index = await pushRandomIndex(external.host, 'team/multi:1', { layers: [100_000], platforms });
    const [amd64, arm64] = index.images;
    await cluster.createStream('multi', {
      imageRepository: `${proxy.host}/${cluster.namespace}/multi`, imageRepositoryInsecure: true, pullSecrets: [{ name: 'stream-registry' }],
      tags: [
        { ...localTag('legacy', `${external.host}/team/multi:1`), referencePolicy: { type: 'Local' } },
        { ...localTag('whole', `${external.host}/team/multi:1`, { importMode: 'PreserveOriginal' }), referencePolicy: { type: 'Local' } },
      ],
    });
    // WHEN imported
    const report = await run('multi');
    // THEN legacy records the amd64 manifest and the stream registry has it; whole records the index, and it has the index and both manifests
    expect(report.results.map((r) => r.ok && r.image)).toEqual([amd64.digest, index.digest]);
    for (const digest of [amd64.digest, arm64.digest]) expect(await headInternal(`/v2/${cluster.namespace}/multi/manifests/${digest}`)).toBe(digest);
    const indexHead = await fetch(`http://${internal.host}/v2/${cluster.namespace}/multi/manifests/${index.digest}`, {
      method: 'HEAD', headers: { authorization: `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`, accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(indexHead.headers.get('docker-content-digest')).toBe(index.digest);
    // AND legacy's copy dealt with the amd64 image's two blobs only, whole's with both images' four (sent, or found there)
    const blobs = report.results.map((r) => (r.ok && r.mirror ? r.mirror.blobsCopied + r.mirror.blobsPresent + r.mirror.blobsMounted : undefined));
    expect(blobs).toEqual([2, 4]);
  }, 60_000);

  it('a Local tag of a stream without a registry fails as MirrorFailed and records nothing', async () => {
    await pushRandomImage(external.host, 'team/lone:1', { layers: [1000] });
    await cluster.createStream('lone', { tags: [{ ...localTag('latest', `${external.host}/team/lone:1`), referencePolicy: { type: 'Local' } }] });
    const report = await run('lone');
    expect(report.results).toEqual([expect.objectContaining({ ok: false, reason: 'MirrorFailed', cause: 'InvalidMirror', message: "tag 'latest' has referencePolicy Local, but the stream has no registry to copy its images into (spec.imageRepository)" })]);
    expect((await statusOf('lone')).items).toBeUndefined();
  }, 60_000);
});
