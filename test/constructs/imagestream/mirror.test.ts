import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { synthApp } from '../../support/synth-app';

/** importTag(…, { referencePolicy: 'Local' }): the tag mirrors each image into the stream's registry (lib/api/mirror.ts). */
describe("importTag with referencePolicy 'Local'", () => {
  it('marks the tag Local, and gives the importer what it needs to push into the in-cluster registry', () => {
    // GIVEN the in-cluster registry behind streams
    const synthesized = synthApp(({ chart }) => {
      const jdk8 = new ImageStream(chart('seed'), 'jdk8', { pullSecrets: ['hub'] });
      // WHEN jdk8:latest mirrors
      jdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk', referencePolicy: 'Local' });
      new ImageStream(chart('seed'), 'other').importTag('latest', { from: 'nginx:1.27' });
    }, { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });
    const jdk8 = synthesized.one('ImageStream', 'jdk8');
    // THEN the tag is Local, the stream's registry is marked plain http, and its push Secret is among the stream's pull secrets
    expect(jdk8.spec.tags[0].referencePolicy).toEqual({ type: 'Local' });
    expect(jdk8.spec.imageRepository).toBe('imagestreams-registry.imagestreams-system.svc:5000/seed/jdk8');
    expect(jdk8.spec.imageRepositoryInsecure).toBe(true);
    expect(jdk8.spec.pullSecrets).toEqual([{ name: 'hub' }, { name: 'imagestreams-registry' }]);
    // AND the registry's Job makes that Secret in the stream's namespace
    const job = synthesized.one('Job');
    const args: string[] = job.spec.template.spec.containers[0].command;
    expect(args[args.indexOf('--namespaces') + 1].split(',')).toContain('seed');
    // AND the stream's importer and the controller, which import it, may read that Secret (and nothing more)
    for (const name of ['jdk8-importer', 'imagestreams-controller']) {
      const role = synthesized.find('Role', name).find((r) => r.metadata.namespace === 'seed')!;
      expect(role.rules.filter((r: { resources: string[] }) => r.resources.includes('secrets'))).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['hub', 'imagestreams-registry'], verbs: ['get'] }]);
    }
    // AND a stream without Local tags is left as it was
    const other = synthesized.one('ImageStream', 'other');
    expect(other.spec.tags[0].referencePolicy).toEqual({ type: 'Source' });
    expect(other.spec).not.toHaveProperty('imageRepositoryInsecure');
    expect(other.spec).not.toHaveProperty('pullSecrets');
  });

  it("an external registry's push Secret and transport are what the importer gets", () => {
    const synthesized = synthApp(({ chart }) => {
      new ImageStream(chart('team'), 'base').importTag('latest', { from: 'quay.io/org/base:1', referencePolicy: 'Local' });
    }, { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push', pullSecret: 'pull' }) });
    const spec = synthesized.one('ImageStream', 'base').spec;
    expect(spec.imageRepository).toBe('registry.example.com/team/base');
    expect(spec).not.toHaveProperty('imageRepositoryInsecure');
    expect(spec.pullSecrets).toEqual([{ name: 'push' }]);
  });

  it('is refused at synth time without a registry behind streams, naming the tag, the prop and the fix', () => {
    const app: App = Testing.app();
    new System(app, 'imagestreams');
    const chart = new Chart(app, 'apps', { namespace: 'team' });
    new ImageStream(chart, 'jdk8').importTag('latest', { from: 'eclipse-temurin:8-jdk', referencePolicy: 'Local' });
    expect(() => app.synth()).toThrowError("[apps/jdk8] importTag('latest'): 'referencePolicy' ('Local') copies each image into the stream's registry, and there is none: set one on the System (new System(app, 'imagestreams', { registry: StreamRegistry.inCluster() })), or use referencePolicy 'Source' (tag 'latest' has referencePolicy Local, but the stream has no registry to copy its images into (spec.imageRepository))");
  });

  it('refuses a value that is not a policy', () => {
    const app: App = Testing.app();
    new System(app, 'imagestreams');
    const stream = new ImageStream(new Chart(app, 'apps', { namespace: 'team' }), 'jdk8');
    expect(() => stream.importTag('latest', { from: 'nginx:1', referencePolicy: 'local' as 'Local' })).toThrowError(`[apps/jdk8] importTag('latest'): 'referencePolicy' ("local") must be one of 'Source', 'Local'`);
  });
});
