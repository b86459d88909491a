/**
 * The runtime ships once per cluster: its ConfigMaps are in the System's namespace only, however
 * many namespaces the app's streams import in; every pod that runs it (the controller, the registry's
 * credentials Job, each stream's import CronJob) runs there and mounts those.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry } from '../../../constructs';
import { runtimeBundle, runtimeFiles } from '../../../constructs/system/runtime-bundle';
import { synthApp, type SynthesizedApp } from '../../support/synth-app';

/** An app whose `namespaces` teams each import a stream and run a Deployment that follows it. */
function appWith(namespaces: number): SynthesizedApp {
  return synthApp(({ chart }) => {
    for (let i = 1; i <= namespaces; i++) {
      const c = chart(`team${i}`);
      const web = new ImageStream(c, 'web-stream', { name: 'web', pullSecrets: ['hub'] });
      web.importTag('stable', { from: 'nginx:1.27', interval: Duration.hours(1) });
      const deployment = new kplus.Deployment(c, 'web', { metadata: { name: 'web' }, containers: [{ name: 'web', image: 'nginx:1.27', portNumber: 80 }] });
      web.tag('stable').deployTo(deployment, { container: 'web' });
    }
  }, { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });
}

const runtimeConfigMaps = (app: SynthesizedApp) => app.find('ConfigMap').filter((c) => c.metadata.labels?.['app.kubernetes.io/component'] === 'runtime');
const size = (app: SynthesizedApp) => app.objects.map((o) => stringify(o)).join('---\n').length;

describe('the runtime, for an app in 10 namespaces', () => {
  const app = appWith(10);

  it('is in the System namespace once: one ConfigMap per part, none in the apps\' namespaces', () => {
    const configMaps = runtimeConfigMaps(app);
    expect(configMaps.map((c) => c.metadata.namespace)).toEqual(runtimeFiles().map(() => 'imagestreams-system'));
    expect(app.find('ConfigMap').filter((c) => c.metadata.namespace !== 'imagestreams-system')).toEqual([]);
    expect(configMaps.map((c) => c.data)).toEqual(runtimeFiles());
  });

  it('is what every pod that runs it mounts, each pod in the System namespace', () => {
    const names = runtimeConfigMaps(app).map((c) => c.metadata.name);
    const pods = [
      ...app.find('CronJob').map((c) => ({ object: c, pod: c.spec.jobTemplate.spec.template.spec })),
      ...app.find('Deployment').filter((d) => d.metadata.namespace === 'imagestreams-system').map((d) => ({ object: d, pod: d.spec.template.spec })),
      ...app.find('Job').map((j) => ({ object: j, pod: j.spec.template.spec })),
    ].filter(({ pod }) => pod.volumes?.some((v: { name: string }) => v.name === 'runtime'));
    // the controller, the registry's credentials Job, and the import CronJob of each of the 10 streams
    expect(pods.map(({ object }) => `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`).sort()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `CronJob/imagestreams-system/team${i + 1}-web-import`),
      'Deployment/imagestreams-system/imagestreams-controller',
      expect.stringMatching(/^Job\/imagestreams-system\/imagestreams-registry-credentials/),
    ].sort());
    for (const { pod } of pods) {
      expect(pod.volumes.find((v: { name: string }) => v.name === 'runtime')).toEqual({ name: 'runtime', projected: { sources: names.map((name) => ({ configMap: { name } })) } });
    }
  });

  it('adds nothing of its size for the 9 namespaces more than an app in one', () => {
    // An app in 10 namespaces outgrows one in 1 by its 9 more streams, importers and Deployments: far less than one more runtime
    expect(size(app) - size(appWith(1))).toBeLessThan(runtimeBundle().code.length / 2);
  });
});
