import { strategyOf } from '../../../lib/api/build-spec';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Duration, Testing } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  AppBase, BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, GitApp, ImageStream, ImageStreamTag, System,
} from '../../../constructs';
import { synthApp, TEST_REGISTRY, type Manifest } from '../../support/synth-app';
import { validateManifests } from '../../support/validate-manifests';

const GIT = { uri: 'https://github.com/example/foo.git', ref: 'main' };
const triggersOf = (o: Manifest) => JSON.parse(o.metadata.annotations!['imagestreams.dev/triggers']);

describe('GitApp: the seed workflow in one construct', () => {
  const seed = () => synthApp(({ chart }) => {
    new GitApp(chart('seed'), 'foo', {
      git: GIT,
      base: AppBase.importImage('docker.io/library/eclipse-temurin:8-jdk', { stream: 'jdk8', interval: Duration.minutes(15) }),
      webhooks: [{ type: 'GitHub', secret: 'foo-github-webhook' }],
    });
  });

  it('makes the same streams and BuildConfig as the seed written out construct by construct', () => {
    // GIVEN the seed's objects written by hand, as examples/seed does
    const byHand = synthApp(({ chart }) => {
      const c = chart('seed');
      const jdk8 = new ImageStream(c, 'jdk8');
      jdk8.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk', interval: Duration.minutes(15) });
      const foo = new ImageStream(c, 'foo');
      new BuildConfig(c, 'foo-build', {
        name: 'foo',
        source: BuildSource.git(GIT),
        strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
        output: BuildOutput.imageStreamTag(foo.tag('latest')),
        triggers: [BuildTrigger.imageChange(), BuildTrigger.configChange(), BuildTrigger.webhook({ type: 'GitHub', secret: 'foo-github-webhook' })],
      });
    });
    // WHEN the same workflow is one GitApp
    const app = seed();
    // THEN the stream, its import, the BuildConfig and its Pipeline are the same objects
    for (const [kind, name] of [['ImageStream', 'jdk8'], ['ImageStream', 'foo'], ['BuildConfig', 'foo'], ['Pipeline', 'foo'], ['CronJob', 'seed-jdk8-import'], ['EventListener', 'foo']]) {
      expect(app.one(kind, name), `${kind} ${name}`).toEqual(byHand.one(kind, name));
    }
  });

  it('deploys the output tag: a Deployment that follows foo:latest by digest, and a Service on 8080', () => {
    const app = seed();
    const deployment = app.one('Deployment', 'foo');
    expect(deployment.metadata.namespace).toBe('seed');
    expect(triggersOf(deployment)).toEqual([{
      from: { kind: 'ImageStreamTag', name: 'foo:latest', namespace: 'seed' }, fieldPath: 'spec.template.spec.containers[?(@.name=="foo")].image', paused: false,
    }]);
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(1);
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({ name: 'foo', image: 'registry.test/seed/foo:latest', ports: [{ containerPort: 8080 }] });
    expect(pod.containers[0].startupProbe).toBeUndefined();
    const service = app.one('Service', 'foo');
    expect(service.spec.ports).toEqual([{ name: '8080-tcp', port: 8080, targetPort: 8080 }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('writes restricted Pod Security settings with a writable root filesystem, as OpenShift runs apps', () => {
    const pod = seed().one('Deployment', 'foo').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsNonRoot: true,
    });
  });

  describe('validate-manifests', () => {
    let dir: string | undefined;
    afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('passes --require-restricted (the workload restricted, the build steps baseline)', async () => {
      dir = mkdtempSync(join(tmpdir(), 'git-app-'));
      const file = join(dir, 'app.k8s.yaml');
      writeFileSync(file, seed().objects.map((o) => stringify(o)).join('---\n'));
      const result = await validateManifests([file]);
      expect(result.output).toContain('Deployment/seed/foo: info: spec.template.spec: meets Pod Security Standard "restricted"');
      expect(result.output).toMatch(/: 0 errors, /);
      expect(result.code).toBe(0);
    }, 300_000);
  });
});

describe('GitApp options', () => {
  it('builds with S2I on a fixed builder: no base stream, no image trigger', () => {
    const app = synthApp(({ chart }) => {
      new GitApp(chart('team'), 'web', { git: { uri: 'https://github.com/example/web.git' }, strategy: 'Source', base: AppBase.image('registry.access.redhat.com/ubi9/nodejs-20:1'), ports: [3000] });
    });
    const bc = app.one('BuildConfig', 'web');
    expect(bc.spec.strategy).toEqual({ type: 'Source', sourceStrategy: { from: { kind: 'DockerImage', name: 'registry.access.redhat.com/ubi9/nodejs-20:1' } } });
    expect(bc.spec.triggers).toEqual([{ type: 'ConfigChange', configChange: {} }]);
    expect(app.find('ImageStream').map((s) => s.metadata.name)).toEqual(['web']);
    expect(app.one('Service', 'web').spec.ports).toEqual([{ name: '3000-tcp', port: 3000, targetPort: 3000 }]);
  });

  it('follows a tag of a shared stream, names its import stream after the repository, and exposes no Service for ports []', () => {
    const app = synthApp(({ chart }) => {
      const c = chart('team');
      const base = new ImageStream(c, 'ubi');
      base.importTag('9', { from: 'registry.access.redhat.com/ubi9/ubi:9.5' });
      new GitApp(c, 'a', { git: GIT, base: AppBase.tag(base.tag('9')), ports: [] });
      new GitApp(c, 'b', { git: GIT, base: AppBase.importImage('docker.io/library/eclipse-temurin:21-jdk'), ports: [] });
    });
    expect(strategyOf(app.one('BuildConfig', 'a').spec.strategy)?.from).toEqual({ kind: 'ImageStreamTag', name: 'ubi:9' });
    expect(strategyOf(app.one('BuildConfig', 'b').spec.strategy)?.from).toEqual({ kind: 'ImageStreamTag', name: 'eclipse-temurin:latest' });
    expect(app.one('ImageStream', 'eclipse-temurin').spec.tags[0].from).toEqual({ kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:21-jdk' });
    expect(app.find('Service')).toEqual([]);
  });

  it('merges container settings over the defaults, and adds an Ingress on the first port', () => {
    const app = synthApp(({ chart }) => {
      new GitApp(chart('team'), 'web', { git: GIT, env: { MODE: 'prod' }, replicas: 3, container: { resources: {} }, ingress: { host: 'web.example.com', tlsSecret: 'web-tls' } });
    });
    const deployment = app.one('Deployment', 'web');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }]);
    expect(deployment.spec.template.spec.containers[0].resources).toBeUndefined();
    const ingress = app.one('Ingress', 'web');
    expect(ingress.spec.rules).toEqual([{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }]);
    expect(ingress.spec.tls).toEqual([{ hosts: ['web.example.com'], secretName: 'web-tls' }]);
  });

  it('refuses wrong props with the fix', () => {
    const scope = () => {
      const app = Testing.app();
      new System(app, 'imagestreams', { registry: TEST_REGISTRY() });
      return new Chart(app, 'team', { namespace: 'team' });
    };
    expect(() => new GitApp(scope(), 'Web', { git: GIT })).toThrowError("[team/Web] 'id' (Web) must be a DNS label (lower-case letters, digits and '-', at most 63), as it names the app's Service: set the 'name' prop");
    expect(() => new GitApp(scope(), 'web', { git: GIT, namespace: '-team' })).toThrowError("[team/web] 'namespace' (-team) is not a namespace name: use at most 63 lower-case letters, digits and '-'");
    expect(() => new GitApp(scope(), 'web', { git: GIT, ports: [8080, 8080] })).toThrowError("[team/web] 'ports' (8080, 8080) lists a port twice: list each once");
    expect(() => new GitApp(scope(), 'web', { git: GIT, ports: [0] })).toThrowError("[team/web] 'ports' has 0, which is not a port: use whole numbers from 1 to 65535");
    expect(() => new GitApp(scope(), 'web', { git: GIT, strategy: 'Source', dockerfilePath: 'Dockerfile.prod' })).toThrowError("[team/web] 'dockerfilePath' is for the Docker strategy: remove it, or set strategy: 'Docker'");
    expect(() => new GitApp(scope(), 'web', { git: GIT, ports: [], ingress: { host: 'web.example.com' } })).toThrowError("[team/web] 'ingress' needs a Service, and 'ports' is empty: give the port the Ingress forwards to");
    expect(() => AppBase.importImage('Not An Image')).toThrowError("AppBase.importImage(): 'image' (Not An Image) is not a valid image reference");
    expect(() => AppBase.tag('jdk8:latest' as unknown as ImageStreamTag)).toThrowError("AppBase.tag(): 'tag' must be a stream tag: use stream.tag('latest') or ImageStreamTag.external('ns/stream:tag')");
  });
});
