import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_VERSION, RECEIVERS } from '../../../lib/api/group';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import { pushImage } from '../../support/registry/images';
import { notifications } from '../../support/registry/notifications';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { startTriggerCluster, type RunningController, type TriggerCluster } from '../controller/cluster';
import { eventually } from '../controller/eventually';

const TOKEN = 'f4c1a7d9e2b83605c7a9e1d3b5f70246';

// The real CNCF distribution registry notifies the controller's receiver of each push
// (notifications.endpoints, a bearer token), on the real API server: the stream tag that follows
// the pushed tag is imported at once, verified with the registry, with no import schedule due.
describe('push notifications from a real distribution registry', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;
  let registry: RunningRegistry;
  beforeAll(async () => {
    cluster = await startTriggerCluster('receiver');
    await cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: cluster.namespace }).create({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry-hook' }, data: { token: Buffer.from(`${TOKEN}\n`).toString('base64') },
    });
    await cluster.resource(RECEIVERS).create({
      apiVersion: GROUP_VERSION, kind: 'RegistryReceiver', metadata: { name: 'registry' }, spec: { type: 'Distribution', secretRef: { name: 'registry-hook' } },
    });
    // Only the receiver imports here (no import reconciler, no CronJob): whatever moves, a push moved it.
    controller = await cluster.startController({ receiver: { debounceMs: 500 } });
    registry = await startRegistry({ notifications: notifications({ url: `${controller.receiver!.url}/hooks/${cluster.namespace}/registry`, token: TOKEN }) });
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await registry?.close();
  });

  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> =>
    (await cluster.streams().get(stream)).status?.tags?.find((t) => t.tag === tag);
  const images = async (stream: string, tag: string) => (await statusOf(stream, tag))?.items?.map((i) => i.image) ?? [];

  it('imports the stream tag following the pushed tag within seconds of each push, and nothing else', async () => {
    // GIVEN a stream whose tag 'live' follows team/app:live, scheduled every hour, and another following team/app:other
    await cluster.createStream('app', { tags: [
      { name: 'live', from: { kind: 'DockerImage', name: `${registry.host}/team/app:live` }, importPolicy: { scheduled: true, intervalSeconds: 3600, insecure: true } },
      { name: 'other', from: { kind: 'DockerImage', name: `${registry.host}/team/app:other` }, importPolicy: { scheduled: true, intervalSeconds: 3600, insecure: true } },
    ] });
    // WHEN an image is pushed to team/app:live
    const first = (await pushImage(registry.host, 'team/app:live')).digest;
    // THEN the tag has it, verified (its status says ImportSuccess), and the other tag was not imported
    await eventually(async () => expect(await images('app', 'live')).toEqual([first]), 10_000);
    expect((await statusOf('app', 'live'))!.conditions).toEqual([expect.objectContaining({ type: 'ImportSuccess', status: 'True' })]);
    expect(await statusOf('app', 'other')).toBeUndefined();
    // WHEN it is pushed again, and the registry is asked only what the importer asks
    const second = (await pushImage(registry.host, 'team/app:live')).digest;
    // THEN the new image is the newest history item
    await eventually(async () => expect(await images('app', 'live')).toEqual([second, first]), 10_000);
    // AND the import verified it: one GET of the new manifest by digest
    const log = await registry.accessLog();
    expect(log.filter((e) => e.method === 'GET' && e.path === `/v2/team/app/manifests/${second}`)).toHaveLength(1);
  });

  it('refuses a forged notification without acting on it', async () => {
    // GIVEN a stream following team/forged:v1 that has never been imported
    await pushImage(registry.host, 'team/other:v1');
    await cluster.createStream('forged', { tags: [{ name: 'v1', from: { kind: 'DockerImage', name: `${registry.host}/team/forged:v1` }, importPolicy: { insecure: true } }] });
    const event = { events: [{ id: 'f0f0f0f0-0000-4000-8000-000000000001', timestamp: new Date().toISOString(), action: 'push', target: { repository: 'team/forged', tag: 'v1', mediaType: 'application/vnd.oci.image.manifest.v1+json' }, request: { host: registry.host } }] };
    // WHEN someone without the token posts a push of it
    const response = await fetch(`${controller.receiver!.url}/hooks/${cluster.namespace}/registry`, {
      method: 'POST', headers: { authorization: 'Bearer not-the-token-at-all-0000000000', 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: JSON.stringify(event),
    });
    // THEN it is refused, and the stream is left alone
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await statusOf('forged', 'v1')).toBeUndefined();
  });
});
