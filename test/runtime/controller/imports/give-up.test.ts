import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageStream } from '../../../../constructs';
import type { KubeClient } from '../../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { synthApp } from '../../../support/synth-app';
import { startTriggerCluster, type TriggerCluster } from '../cluster';
import { eventually } from '../eventually';

let cluster: TriggerCluster;

/** The controller's client, except that reading a Secret fails with an error of ours (not an API error). */
function brokenSecrets(kube: KubeClient): KubeClient {
  return {
    ...kube,
    close: () => kube.close(),
    resource: ((ref) => {
      const real = kube.resource(ref);
      return ref.resource === 'secrets' ? { ...real, get: () => Promise.reject(new TypeError('cannot read secrets today')) } : real;
    }) as KubeClient['resource'],
  };
}

beforeAll(async () => {
  cluster = await startTriggerCluster('imports-give-up');
  await cluster.startController({ client: brokenSecrets(cluster.kube), imports: { retries: 1, retryDelayMs: 10 } });
});
afterAll(async () => cluster?.close());

it('an import that fails with an error of ours, every retry, ends in a Warning Event on the stream, not only a log line', async () => {
  const stream = synthApp(({ chart }) => new ImageStream(chart(cluster.namespace), 'app', { pullSecrets: ['pull'] }).importTag('v1', { from: 'registry.test/app:v1' })).one('ImageStream', 'app');
  await cluster.apply([stream]);
  await eventually(async () => {
    const events = (await cluster.kube.resource<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items;
    expect(events.filter((e) => e.involvedObject.name === 'app').map((e) => `${e.reason}: ${e.message}`)).toEqual(['ImportFailed: could not import: cannot read secrets today']);
  }, 15_000);
});
