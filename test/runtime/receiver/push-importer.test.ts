import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../lib/runtime/importer/import-stream';
import { EventRecorder } from '../../../lib/runtime/machinery/events';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { PushImporter } from '../../../lib/runtime/receiver/push-importer';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { localTag, startCluster, type TestCluster } from '../importer/cluster';
import { eventually } from '../controller/eventually';

// Imports on push, against the real registry behind a proxy that can answer HEAD with a stale digest
// (a registry that notified before linking the tag), on the real API server.
describe('PushImporter', () => {
  let cluster: TestCluster;
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startCluster('push-importer'), startRegistry()]);
    proxy = await startFaultProxy(registry.host);
  });
  afterAll(async () => {
    await cluster?.close();
    await proxy?.close();
    await registry?.close();
  });
  beforeEach(() => proxy.setRule(() => undefined));

  const importer = (reports: string[][]) => new PushImporter({
    client: cluster.kube, events: new EventRecorder(cluster.kube, 'test', 'test', silentLogger), log: silentLogger,
    registry: { authCache: new AuthCache(), timeoutMs: 5_000 }, catchUpDelaysMs: [20, 40, 80, 160, 320],
    onImported: (_key: string, _tags: readonly string[], report: ImportReport) => void reports.push(report.results.map((r) => (r.ok ? r.image : r.reason))),
  });
  const images = async (stream: string) => (await cluster.streams.get(stream)).status?.tags?.[0]?.items?.map((i) => i.image);
  const heads = (since: number, tag: string) => proxy.requests.slice(since).filter((r) => r.method === 'HEAD' && r.path.endsWith(`/manifests/${tag}`)).length;

  it('tries again until the registry says the digest the event named, when it notified before linking the tag', async () => {
    // GIVEN a stream imported at the tag's first image, and a second image pushed
    const first = (await pushImage(registry.host, 'team/lag:v1')).digest;
    await cluster.createStream('lag', { tags: [localTag('v1', `${proxy.host}/team/lag:v1`)] });
    const reports: string[][] = [];
    const push = importer(reports);
    push.nudge(cluster.namespace, 'lag', [{ tag: 'v1' }]);
    await eventually(async () => expect(await images('lag')).toEqual([first]));
    const second = (await pushImage(registry.host, 'team/lag:v1')).digest;
    // WHEN the event arrives while the registry still answers the old digest to the first two HEADs
    let stale = 2;
    proxy.setRule((r) => (r.method === 'HEAD' && r.path.endsWith('/manifests/v1') && stale-- > 0 ? { kind: 'digest', digest: first } : undefined));
    push.nudge(cluster.namespace, 'lag', [{ tag: 'v1', digest: second }]);
    // THEN the third try records the new image
    await eventually(async () => expect(await images('lag')).toEqual([second, first]));
    await push.idle();
    expect(reports.slice(1)).toEqual([[first], [first], [second]]);
  });

  it('tries again when the manifest is not there yet, and gives up after five more tries on a digest that never comes (a forged event)', async () => {
    await cluster.createStream('forged', { tags: [localTag('v1', `${proxy.host}/team/forged:v1`)] });
    const reports: string[][] = [];
    const push = importer(reports);
    const since = proxy.requests.length;
    // WHEN an event names a tag that doesn't exist, with a digest nobody pushed
    push.nudge(cluster.namespace, 'forged', [{ tag: 'v1', digest: `sha256:${'f'.repeat(64)}` }]);
    await eventually(() => expect(reports).toHaveLength(6), 5_000);
    await push.idle();
    // THEN six imports (one and five more), one HEAD each, and nothing recorded
    expect(reports).toEqual(Array(6).fill(['NotFound']));
    expect(heads(since, 'v1')).toBe(6);
    expect(await images('forged')).toBeUndefined();
  });
});
