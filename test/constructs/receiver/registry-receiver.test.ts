import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, RegistryReceiver, System } from '../../../constructs';
import { synthApp } from '../../support/synth-app';

describe('RegistryReceiver', () => {
  it('emits a RegistryReceiver with its type, Secret and options, and knows its path', () => {
    let receiver!: RegistryReceiver;
    const app = synthApp(({ chart }) => {
      const c = chart('team');
      const web = new ImageStream(c, 'web');
      web.importTag('latest', { from: 'registry.example.com:5000/team/web:latest' });
      receiver = new RegistryReceiver(c, 'registry', { type: 'Distribution', secretName: 'registry-hook', registries: ['registry.example.com:5000'], streams: [web, 'api'], maxAge: Duration.minutes(2) });
    });
    expect(app.one('RegistryReceiver')).toEqual({
      apiVersion: 'imagestreams.dev/v1alpha1', kind: 'RegistryReceiver', metadata: { name: 'registry', namespace: 'team' },
      spec: { type: 'Distribution', secretRef: { name: 'registry-hook' }, registries: ['registry.example.com:5000'], streams: ['web', 'api'], maxAgeSeconds: 120 },
    });
    expect(receiver.path).toBe('/hooks/team/registry');
    expect(receiver.auth).toBe('bearer');
  });

  it("writes only what differs from the defaults (a maxAge of 10 minutes is the CRD's default)", () => {
    const app = synthApp(({ chart }) => void new RegistryReceiver(chart('team'), 'hub', { type: 'DockerHub', secretName: 'hub', maxAge: Duration.minutes(10) }));
    expect(app.one('RegistryReceiver').spec).toEqual({ type: 'DockerHub', secretRef: { name: 'hub' } });
  });

  it('makes the controller listen: the port, probes, the receiver Service, and RBAC to read receivers and exactly their Secrets', () => {
    const app = synthApp(({ chart }) => {
      new ImageStream(chart('apps'), 'web', { pullSecrets: ['hub-pull'] }).importTag('latest', { from: 'nginx:1.27' });
      new RegistryReceiver(chart('team'), 'ghcr', { type: 'GHCR', secretName: 'gh-hook' });
    });
    const container = app.one('Deployment', 'imagestreams-controller').spec.template.spec.containers[0];
    expect(container.command.slice(-2)).toEqual(['--receiver-port', '8080']);
    expect(container.command).toContain('apps,team');
    expect(container.ports).toEqual([{ name: 'receiver', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'receiver' }, periodSeconds: 5, failureThreshold: 3 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'receiver' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
    expect(app.one('Service', 'imagestreams-receiver')).toEqual({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'imagestreams-receiver', namespace: 'imagestreams-system', labels: { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/part-of': 'cdk8s-imagestreams' } },
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'controller' }, ports: [{ name: 'http', port: 80, targetPort: 'receiver', protocol: 'TCP' }] },
    });
    const rules = (ns: string) => app.find('Role', 'imagestreams-controller').find((r) => r.metadata.namespace === ns)!.rules;
    // Every namespace caches receivers; each reads only its own Secrets
    for (const ns of ['apps', 'team']) expect(rules(ns)).toContainEqual({ apiGroups: ['imagestreams.dev'], resources: ['registryreceivers'], verbs: ['list', 'watch'] });
    expect(rules('team')).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['gh-hook'], verbs: ['get'] });
    expect(rules('apps')).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['hub-pull'], verbs: ['get'] });
  });

  it('leaves the controller without a listener, Service or receiver rights when the app has no receiver', () => {
    const app = synthApp(({ chart }) => new ImageStream(chart('apps'), 'web').importTag('latest', { from: 'nginx:1.27' }));
    const container = app.one('Deployment', 'imagestreams-controller').spec.template.spec.containers[0];
    expect(container.command).not.toContain('--receiver-port');
    expect(container.ports).toBeUndefined();
    expect(app.find('Service')).toEqual([]);
    expect(JSON.stringify(app.find('Role'))).not.toContain('registryreceivers');
  });

  describe('refuses at synth time', () => {
    const make = (props: Partial<ConstructorParameters<typeof RegistryReceiver>[2]>, namespace: string | null = 'team') => () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      new RegistryReceiver(new Chart(app, 'c', { namespace: namespace ?? undefined }), 'hook', { type: 'Quay', secretName: 'quay-hook', ...props });
    };

    it.each([
      [{ type: 'Gitea' as never }, "[c/hook] 'type' (Gitea) must be one of Distribution, DockerHub, Harbor, Quay, GHCR"],
      [{ secretName: 'Quay_Hook' }, "[c/hook] 'secretName' holds 'Quay_Hook', which is not an object name: use lower-case letters, digits, '-' and '.', at most 253"],
      [{ name: 'My Hook' }, "[c/hook] 'name' holds 'My Hook', which is not an object name: use lower-case letters, digits, '-' and '.', at most 253"],
      [{ registries: ['https://quay.io'] }, "[c/hook] 'registries' holds 'https://quay.io', which is not a registry host: write it as streams name it, e.g. registry.example.com:5000"],
      [{ maxAge: Duration.seconds(5) }, "[c/hook] 'maxAge' (5s) must be whole seconds from 10 seconds to 24 hours"],
      [{ maxAge: Duration.days(2) }, "[c/hook] 'maxAge' (172800s) must be whole seconds from 10 seconds to 24 hours"],
      [{ streams: [{ streamName: 'web', namespace: 'other' }] }, "[c/hook] 'streams' holds ImageStream 'other/web', but a receiver nudges only streams of its own namespace 'team': make a receiver there"],
    ])('%j', (props, message) => {
      expect(make(props)).toThrowError(message);
    });

    it('a receiver without a namespace', () => {
      expect(make({}, null)).toThrowError("[c/hook] a RegistryReceiver needs a namespace: set the 'namespace' prop or the chart's namespace");
      expect(make({}, 'Team')).toThrowError("[c/hook] the namespace of chart 'c' (Team) is not a namespace name: use at most 63 lower-case letters, digits and '-'");
      expect(make({ namespace: 'a.b' })).toThrowError("[c/hook] 'namespace' (a.b) is not a namespace name: use at most 63 lower-case letters, digits and '-'");
    });
  });
});
