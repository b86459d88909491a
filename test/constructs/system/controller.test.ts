import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, ImageStreamTag, DEFAULT_RUNTIME_IMAGE, RegistryReceiver, System, type SystemProps } from '../../../constructs';
import { runtimeBundle, runtimeFiles } from '../../../constructs/system/runtime-bundle';
import { validateManifests } from '../../support/validate-manifests';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Synthesized manifests are asserted field by field; typing every Kubernetes shape here would add nothing.
  spec?: any;
  rules?: unknown[];
  roleRef?: unknown;
  subjects?: unknown[];
}

const RUNTIME_CONFIG_MAP = `imagestreams-runtime-${runtimeBundle().sha256.slice(0, 10)}`;
const SELECTOR = { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'controller' };

/** An app with streams in `team`, a workload in `web` following a tag in `base`, and a chart in `unused` with neither. */
function exampleApp(props: SystemProps = {}): { app: App; system: System } {
  const app = Testing.app();
  const system = new System(app, 'imagestreams', props);
  const team = new Chart(app, 'team', { namespace: 'team' });
  new ImageStream(team, 'foo').importTag('latest', { from: 'nginx:1.27', scheduled: false });
  const web = new Chart(app, 'web', { namespace: 'web' });
  ImageStreamTag.external('base/nginx:stable').deployTo(restrictedDeployment(web));
  new ApiObject(new Chart(app, 'unused', { namespace: 'unused' }), 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
  return { app, system };
}

/**
 * A user's Deployment that meets Pod Security "restricted" too. Patched: cdk8s-plus-27 has no seccomp
 * field, and renders its Capability values as objects.
 */
function restrictedDeployment(scope: Chart): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, 'site', { containers: [{ image: 'nginx:1.27' }] });
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
  );
  return deployment;
}

const synthAll = (app: App) => app.charts.flatMap((c) => Testing.synth(c) as K8sObject[]);
const ids = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
const controllerObjects = (objects: K8sObject[]) => objects.filter((o) => o.metadata.name.startsWith('imagestreams-controller'));

function find(objects: K8sObject[], kind: string, namespace: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${namespace}/${name} in ${ids(objects).join(', ')}`);
  return found;
}

describe('the controller objects', () => {
  const { app, system } = exampleApp();
  system.manageNamespace('builds');
  const objects = synthAll(app);
  const deployment = find(objects, 'Deployment', 'imagestreams-system', 'imagestreams-controller');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('are a ServiceAccount, a Lease Role, the Deployment, and a Role + RoleBinding in each namespace the app uses', () => {
    expect(ids(controllerObjects(objects))).toEqual([
      'ServiceAccount/imagestreams-system/imagestreams-controller',
      'Role/imagestreams-system/imagestreams-controller-leases',
      'RoleBinding/imagestreams-system/imagestreams-controller-leases',
      'Deployment/imagestreams-system/imagestreams-controller',
      ...['base', 'builds', 'team', 'web'].flatMap((ns) => [`Role/${ns}/imagestreams-controller`, `RoleBinding/${ns}/imagestreams-controller`]),
    ]);
    expect(system.managedNamespaces).toEqual(['base', 'builds', 'team', 'web']);
    expect(system.controller?.managedNamespaces).toEqual(['base', 'builds', 'team', 'web']);
  });

  it('grant nothing in a namespace the app doesn\'t use, and nothing cluster-wide', () => {
    expect(objects.filter((o) => o.metadata.namespace === 'unused').map((o) => o.kind)).toEqual(['ConfigMap']);
    expect(objects.filter((o) => o.kind.startsWith('Cluster') && o.kind !== 'ClusterIP').map((o) => o.kind)).toEqual([]);
  });

  it('run one replica of the runtime script as `controller`, over the managed namespaces, leasing in the system namespace', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(deployment.spec.template.metadata.labels).toEqual(SELECTOR);
    expect(pod.serviceAccountName).toBe('imagestreams-controller');
    expect(container.name).toBe('controller');
    expect(container.image).toBe(DEFAULT_RUNTIME_IMAGE);
    expect(container.command).toEqual([
      'node', '/opt/imagestreams/imagestreams-runtime.js', 'controller',
      '--namespaces', 'base,builds,team,web',
      '--lease-namespace', 'imagestreams-system',
      '--workers', '2',
    ]);
    expect(container.args).toBeUndefined();
  });

  it('name the pod to the runtime through the downward API, and mount the runtime ConfigMap read-only', () => {
    expect(container.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=384 --max-semi-space-size=1' },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'runtime', mountPath: '/opt/imagestreams', readOnly: true }]);
    const parts = runtimeFiles().map((_, i) => `${RUNTIME_CONFIG_MAP}-${i}`);
    expect(pod.volumes).toEqual([{ name: 'runtime', projected: { sources: parts.map((name) => ({ configMap: { name } })) } }]);
    for (const name of parts) expect(ids(objects)).toContain(`ConfigMap/imagestreams-system/${name}`);
  });

  it('meet Pod Security "restricted", with resources and no probes (the controller serves no endpoint yet)', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(container.resources).toEqual({ requests: { cpu: '20m', memory: '192Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(pod.enableServiceLinks).toBe(false);
    expect(container.readinessProbe).toBeUndefined();
    expect(container.livenessProbe).toBeUndefined();
  });

  it.each(['base', 'builds', 'team', 'web'])('give it exactly what it needs in namespace %s', (ns) => {
    expect(find(objects, 'Role', ns, 'imagestreams-controller').rules).toEqual([
      { apiGroups: ['imagestreams.dev'], resources: ['imagestreams'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['imagestreams.dev'], resources: ['imagestreams/status'], verbs: ['update'] },
      { apiGroups: ['imagestreams.dev'], resources: ['buildconfigs'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['imagestreams.dev'], resources: ['buildconfigs/status'], verbs: ['update'] },
      { apiGroups: ['imagestreams.dev'], resources: ['buildconfigs/finalizers'], verbs: ['update'] },
      { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['list', 'watch', 'patch'] },
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['list', 'watch', 'patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'get', 'patch'] },
    ]);
    const binding = find(objects, 'RoleBinding', ns, 'imagestreams-controller');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'imagestreams-controller' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'imagestreams-controller', namespace: 'imagestreams-system' }]);
  });

  it('let it create its Lease and touch no other Lease in the system namespace', () => {
    expect(find(objects, 'Role', 'imagestreams-system', 'imagestreams-controller-leases').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['imagestreams-controller'], verbs: ['get', 'update'] },
    ]);
    expect(find(objects, 'RoleBinding', 'imagestreams-system', 'imagestreams-controller-leases').subjects)
      .toEqual([{ kind: 'ServiceAccount', name: 'imagestreams-controller', namespace: 'imagestreams-system' }]);
  });

  it('grant no wildcard, and no Secrets where no stream names a pull secret', () => {
    const text = JSON.stringify(controllerObjects(objects).filter((o) => o.kind === 'Role').map((o) => o.rules));
    expect(text).not.toContain('*');
    expect(text).not.toContain('secrets');
  });

  it('let it get exactly the pull secrets the streams of a namespace name, to import new and changed tags with them', () => {
    // GIVEN streams in team naming pull secrets (one twice), and none in base
    const { app } = exampleApp();
    const team = app.node.findChild('team') as Chart;
    new ImageStream(team, 'private', { pullSecrets: ['hub', 'quay'] }).importTag('v1', { from: 'quay.io/team/private:v1' });
    new ImageStream(team, 'other', { pullSecrets: ['hub'] });
    const synthesized = synthAll(app);
    // THEN the Role in team adds get on those names, and nothing else about Secrets anywhere
    expect(find(synthesized, 'Role', 'team', 'imagestreams-controller').rules?.at(-1)).toEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['hub', 'quay'], verbs: ['get'] });
    const elsewhere = controllerObjects(synthesized).filter((o) => o.kind === 'Role' && o.metadata.namespace !== 'team');
    expect(JSON.stringify(elsewhere.map((o) => o.rules))).not.toContain('secrets');
  });

  it('let it get the webhook Secrets of the BuildConfigs of a namespace while its listener serves their webhooks, and not otherwise', () => {
    // GIVEN a BuildConfig in team with GitHub and Generic webhooks
    const withHooks = (receiver: boolean) => {
      const { app } = exampleApp();
      const team = app.node.findChild('team') as Chart;
      new BuildConfig(team, 'b', {
        source: BuildSource.git({ uri: 'https://github.com/example/b.git', ref: 'main' }),
        strategy: BuildStrategy.dockerfile(),
        output: BuildOutput.image('registry.example.com/b:1'),
        triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'b-github' }), BuildTrigger.webhook({ type: 'Generic', secret: 'b-generic' })],
      });
      if (receiver) new RegistryReceiver(team, 'hook', { type: 'Distribution', secretName: 'registry-hook' });
      return find(synthAll(app), 'Role', 'team', 'imagestreams-controller').rules?.at(-1);
    };
    // WHEN the app has a RegistryReceiver (the listener runs) THEN the Role in team adds get on both webhook Secrets
    expect(withHooks(true)).toEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['b-generic', 'b-github', 'registry-hook'], verbs: ['get'] });
    // WHEN it has none (no listener) THEN no Secret
    expect(JSON.stringify(withHooks(false))).not.toContain('secrets');
  });
});

describe('the controller options', () => {
  it("serve OpenShift's webhook URL with gitWebhooks, without RegistryReceivers: the listener, its Service, and the app's webhook Secrets", () => {
    const { app } = exampleApp({ controller: { gitWebhooks: true } });
    new BuildConfig(app.node.findChild('team') as Chart, 'b', {
      source: BuildSource.git({ uri: 'https://github.com/example/b.git', ref: 'main' }), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('registry.example.com/b:1'),
      triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'b-github' })],
    });
    const objects = synthAll(app);
    const container = find(objects, 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0];
    expect(container.command.slice(-2)).toEqual(['--receiver-port', '8080']);
    expect(find(objects, 'Service', 'imagestreams-system', 'imagestreams-receiver').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'receiver', protocol: 'TCP' }]);
    expect(find(objects, 'Role', 'team', 'imagestreams-controller').rules?.at(-1)).toEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['b-github'], verbs: ['get'] });
    // AND without it, no listener
    const plain = synthAll(exampleApp().app);
    expect(find(plain, 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0].command).not.toContain('--receiver-port');
    expect(() => exampleApp({ controller: { gitWebhooks: 'yes' as unknown as boolean } })).toThrowError("'controller.gitWebhooks' (yes) must be true or false");
  });

  it("hand the controller the System's image mirror (--image-mirror, keys sorted), for the Pipelines it embeds", () => {
    const { app } = exampleApp({ imageMirror: { 'quay.io': 'mirror.example.com/quay', 'docker.io': 'mirror.example.com/hub' } });
    const command = find(synthAll(app), 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0].command;
    expect(command.slice(command.indexOf('--image-mirror'), command.indexOf('--image-mirror') + 2)).toEqual(['--image-mirror', '{"docker.io":"mirror.example.com/hub","quay.io":"mirror.example.com/quay"}']);
    expect(find(synthAll(exampleApp().app), 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0].command).not.toContain('--image-mirror');
  });

  it('run more replicas (one leads) and workers', () => {
    const { app } = exampleApp({ controller: { replicas: 3, workers: 4 } });
    const deployment = find(synthAll(app), 'Deployment', 'imagestreams-system', 'imagestreams-controller');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].command.slice(-2)).toEqual(['--workers', '4']);
  });

  it('take the memory request and limit, and cap the heap at three quarters of the limit', () => {
    const { app } = exampleApp({ controller: { memory: { request: Size.mebibytes(300), limit: Size.gibibytes(1) } } });
    const container = find(synthAll(app), 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '20m', memory: '300Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
    expect(container.env[1]).toEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=768 --max-semi-space-size=1' });
    // a request above the default limit alone raises the limit to it
    const { app: raised } = exampleApp({ controller: { memory: { request: Size.mebibytes(600) } } });
    expect(find(synthAll(raised), 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0].resources.limits.memory).toBe('600Mi');
  });

  it('reject a memory request above the limit, or below what the runtime needs', () => {
    expect(() => new System(Testing.app(), 's', { controller: { memory: { request: Size.mebibytes(600), limit: Size.mebibytes(512) } } }))
      .toThrowError("'controller.memory.request' (600Mi) must not exceed 'controller.memory.limit' (512Mi): raise the limit or lower the request");
    expect(() => new System(Testing.app(), 's', { controller: { memory: { limit: Size.mebibytes(32), request: Size.mebibytes(32) } } }))
      .toThrowError("'controller.memory.request' (32Mi) must be at least 64Mi: the runtime needs about 50 MB before it caches anything");
  });

  it('run one Deployment per shard, each with its shard\'s flags, labels and Lease, and leave one shard as it was', () => {
    const { app } = exampleApp({ controller: { shards: 3, replicas: 2 } });
    const objects = controllerObjects(synthAll(app));
    expect(ids(objects.filter((o) => o.kind === 'Deployment'))).toEqual([0, 1, 2].map((i) => `Deployment/imagestreams-system/imagestreams-controller-shard-${i}`));
    for (const shard of [0, 1, 2]) {
      const deployment = find(objects, 'Deployment', 'imagestreams-system', `imagestreams-controller-shard-${shard}`);
      const labels = { ...SELECTOR, 'imagestreams.dev/shard': String(shard) };
      expect([deployment.spec.replicas, deployment.spec.selector, deployment.spec.template.metadata.labels]).toEqual([2, { matchLabels: labels }, labels]);
      expect(deployment.spec.template.spec.containers[0].command.slice(-4)).toEqual(['--shards', '3', '--shard', String(shard)]);
    }
    expect(find(objects, 'Role', 'imagestreams-system', 'imagestreams-controller-leases').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [0, 1, 2].map((i) => `imagestreams-controller-shard-${i}`), verbs: ['get', 'update', 'patch'] },
    ]);
    expect(() => new System(Testing.app(), 's', { controller: { shards: 17 } })).toThrowError("'controller.shards' (17) must be a whole number from 1 to 16");
  });

  it('reject replicas and workers out of range where the System is made', () => {
    expect(() => new System(Testing.app(), 's', { controller: { replicas: 0 } })).toThrowError("'controller.replicas' (0) must be a whole number from 1 to 5");
    expect(() => new System(Testing.app(), 's', { controller: { replicas: 1.5 } })).toThrowError("'controller.replicas' (1.5) must be a whole number from 1 to 5");
    expect(() => new System(Testing.app(), 's', { controller: { workers: 33 } })).toThrowError("'controller.workers' (33) must be a whole number from 1 to 32");
  });

  it('leave the controller out with `controller: false`', () => {
    const { app, system } = exampleApp({ controller: false });
    expect(controllerObjects(synthAll(app))).toEqual([]);
    expect(system.controller).toBeUndefined();
  });

  it('emit no controller when the app gives it nothing to manage', () => {
    const app = Testing.app();
    const system = new System(app, 'imagestreams');
    expect(controllerObjects(synthAll(app))).toEqual([]);
    expect(system.controller).toBeUndefined();
  });

  it('reject a namespace name that Kubernetes would', () => {
    const system = new System(Testing.app(), 'imagestreams');
    expect(() => system.manageNamespace('Team_A')).toThrowError("[imagestreams] manageNamespace('Team_A'): not a namespace name: use at most 63 lower-case letters, digits and '-'");
  });
});

describe('the managed namespaces', () => {
  it('are found wherever the System sits in the tree and whenever the streams were made', () => {
    // GIVEN streams made before the System, and the System in the middle of the app
    const app = Testing.app();
    new ImageStream(new Chart(app, 'a', { namespace: 'a' }), 's');
    const system = new System(app, 'imagestreams', { namespace: 'platform' });
    new ImageStream(new Chart(app, 'z', { namespace: 'z' }), 's');
    // WHEN
    const objects = synthAll(app);
    // THEN
    expect(ids(objects.filter((o) => o.kind === 'Role'))).toEqual(['Role/platform/imagestreams-controller-leases', 'Role/a/imagestreams-controller', 'Role/z/imagestreams-controller']);
    expect(system.controller?.managedNamespaces).toEqual(['a', 'z']);
  });

  it('include the namespace of a BuildConfig and of its output stream', () => {
    // GIVEN a BuildConfig in `builds` (no stream there) pushing to a stream in `apps`
    const app = Testing.app();
    new System(app, 'imagestreams');
    const out = new ImageStream(new Chart(app, 'apps', { namespace: 'apps' }), 'out');
    new BuildConfig(new Chart(app, 'builds', { namespace: 'builds' }), 'b', {
      source: BuildSource.git({ uri: 'https://github.com/example/b.git', ref: 'main' }),
      strategy: BuildStrategy.dockerfile(),
      output: BuildOutput.image('registry.example.com/b:1'),
    });
    out.importTag('latest', { from: 'nginx:1.27', scheduled: false });
    // WHEN synthesized THEN the controller may act in both
    const roles = ids(synthAll(app).filter((o) => o.kind === 'Role'));
    expect(roles).toContain('Role/builds/imagestreams-controller');
    expect(roles).toContain('Role/apps/imagestreams-controller');
  });

  it('give the system namespace its own Role when the app uses it too, apart from the Lease Role', () => {
    const app = Testing.app();
    new System(app, 'imagestreams');
    new ImageStream(new Chart(app, 'c', { namespace: 'imagestreams-system' }), 's');
    expect(ids(synthAll(app).filter((o) => o.kind === 'Role'))).toEqual([
      'Role/imagestreams-system/imagestreams-controller-leases',
      'Role/imagestreams-system/imagestreams-controller',
    ]);
  });

  it('grow with constructs added between two syntheses, and synthesis is otherwise repeatable', () => {
    const { app } = exampleApp();
    const first = synthAll(app);
    expect(synthAll(app)).toEqual(first);
    new ImageStream(new Chart(app, 'late', { namespace: 'late' }), 's');
    const second = synthAll(app);
    expect(find(second, 'Deployment', 'imagestreams-system', 'imagestreams-controller').spec.template.spec.containers[0].command[4]).toBe('base,late,team,web');
    expect(find(second, 'Role', 'late', 'imagestreams-controller').rules).toHaveLength(9);
  });
});

describe('the synthesized app with the controller', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('passes validate-manifests --require-restricted with no errors', async () => {
    // GIVEN the example app (streams, a workload trigger, the System with its controller) written as YAML
    const { app } = exampleApp();
    dir = mkdtempSync(join(tmpdir(), 'controller-manifests-'));
    const file = join(dir, 'app.k8s.yaml');
    writeFileSync(file, synthAll(app).map((o) => stringify(o)).join('---\n'));
    // WHEN the shared validator checks it, requiring Pod Security "restricted"
    const result = await validateManifests([file]);
    // THEN it passes, and says the controller's pod is restricted
    expect(result.output).toContain(': 0 errors, 0 warnings');
    expect(result.code).toBe(0);
    expect(result.output).toContain('Deployment/imagestreams-system/imagestreams-controller: info: spec.template.spec: meets Pod Security Standard "restricted"');
  }, 300_000);
});
