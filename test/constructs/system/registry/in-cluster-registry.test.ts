import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { IN_CLUSTER_REGISTRY_NAMES, StreamRegistry, type InClusterRegistryOptions } from '../../../../constructs/system/registry';
import { DEFAULT_REGISTRY_IMAGE } from '../../../../constructs/system/registry/in-cluster-options';
import { DEFAULT_RUNTIME_IMAGE, System } from '../../../../constructs/system/system';
import { validateManifests } from '../../../support/validate-manifests';

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Synthesized manifests are asserted field by field; typing every Kubernetes shape here would add nothing.
  spec?: any;
}

function synthRegistry(options: InClusterRegistryOptions = {}, namespace = 'imagestreams-system'): K8sObject[] {
  const system = new System(Testing.app(), 'imagestreams', { namespace, registry: StreamRegistry.inCluster(options) });
  return Testing.synth(system) as K8sObject[];
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

const SELECTOR = { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'registry' };

describe('the in-cluster registry objects', () => {
  const objects = synthRegistry({ nodePort: 32000 }, 'platform');
  const deployment = find(objects, 'Deployment', 'imagestreams-registry');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('are four, with their documented names, in the System namespace, labelled as the System', () => {
    const registryObjects = objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'registry');
    expect(registryObjects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'PersistentVolumeClaim/platform/imagestreams-registry-storage',
      'Deployment/platform/imagestreams-registry',
      'Service/platform/imagestreams-registry',
      'Service/platform/imagestreams-registry-nodeport',
    ]);
    expect(IN_CLUSTER_REGISTRY_NAMES).toEqual({
      deployment: 'imagestreams-registry',
      persistentVolumeClaim: 'imagestreams-registry-storage',
      service: 'imagestreams-registry',
      nodePortService: 'imagestreams-registry-nodeport',
      authSecret: 'imagestreams-registry-auth',
      credentialsSecret: 'imagestreams-registry',
      credentialsJob: 'imagestreams-registry-credentials',
      garbageCollection: 'imagestreams-registry-gc',
    });
    for (const o of registryObjects) expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'cdk8s-imagestreams', ...SELECTOR });
  });

  it('run one registry that is replaced, not rolled, because its volume is ReadWriteOnce', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(deployment.spec.template.metadata.labels).toEqual(SELECTOR);
    const pvc = find(objects, 'PersistentVolumeClaim', 'imagestreams-registry-storage');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
  });

  it('configure the pinned distribution image with env vars: storage on the claim, htpasswd auth from the auth Secret, no deletes', () => {
    expect(container.name).toBe('registry');
    expect(container.image).toBe(DEFAULT_REGISTRY_IMAGE);
    expect(container.env).toEqual([
      { name: 'REGISTRY_HTTP_ADDR', value: ':5000' },
      { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/var/lib/registry' },
      { name: 'REGISTRY_AUTH_HTPASSWD_REALM', value: 'imagestreams-registry' },
      { name: 'REGISTRY_AUTH_HTPASSWD_PATH', value: '/etc/imagestreams-registry/htpasswd' },
      { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'false' },
    ]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5000, protocol: 'TCP' }]);
    expect(container.volumeMounts).toEqual([
      { name: 'storage', mountPath: '/var/lib/registry' },
      { name: 'auth', mountPath: '/etc/imagestreams-registry', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'storage', persistentVolumeClaim: { claimName: 'imagestreams-registry-storage' } },
      { name: 'auth', secret: { secretName: 'imagestreams-registry-auth', items: [{ key: 'htpasswd', path: 'htpasswd' }], defaultMode: 0o440 } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('meet Pod Security "restricted": non-root with a group that owns the volume, RuntimeDefault seccomp, no capabilities', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('probe the port (/v2/ answers 401 without credentials) and request and limit resources', () => {
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    expect(container.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  it('expose port 5000 in the cluster and, with nodePort, that NodePort on every node', () => {
    const port = { name: 'http', port: 5000, targetPort: 'http', protocol: 'TCP' };
    expect(find(objects, 'Service', 'imagestreams-registry').spec).toEqual({ type: 'ClusterIP', selector: SELECTOR, ports: [port] });
    expect(find(objects, 'Service', 'imagestreams-registry-nodeport').spec).toEqual({ type: 'NodePort', selector: SELECTOR, ports: [{ ...port, nodePort: 32000 }] });
  });
});

describe('the in-cluster registry without options', () => {
  const objects = synthRegistry();

  it('opens no NodePort and allows no deletes', () => {
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['imagestreams-registry']);
    const env = find(objects, 'Deployment', 'imagestreams-registry').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'false' });
    expect(synthRegistry({ allowDeletes: true }).find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-registry')!.spec.template.spec.containers[0].env)
      .toContainEqual({ name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' });
  });

  it('holds no secret: the credentials are made in the cluster by a Job, which runs the stock runtime image restricted', () => {
    // GIVEN the synthesized System THEN no Secret object is in it
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    // AND a Job, named after a hash of what it does, runs the runtime's registry-credentials command as its own ServiceAccount
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.name).toMatch(/^imagestreams-registry-credentials-[0-9a-f]{8}$/);
    const spec = job.spec.template.spec;
    expect(spec.serviceAccountName).toBe('imagestreams-registry-credentials');
    expect(spec.containers[0].image).toBe(DEFAULT_RUNTIME_IMAGE);
    expect(spec.containers[0].command.slice(0, 3)).toEqual(['node', '/opt/imagestreams/imagestreams-runtime.js', 'registry-credentials']);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // AND synthesizing again gives the same name (deterministic output)
    expect(synthRegistry().find((o) => o.kind === 'Job')!.metadata.name).toBe(job.metadata.name);
    // AND its Role in the System's namespace reads only the auth Secret
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'imagestreams-registry-credentials')! as K8sObject & { rules: object[] };
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['imagestreams-registry-auth'], verbs: ['get'] },
    ]);
  });
});

describe('the in-cluster registry options', () => {
  it('set storage, storage class, node port, image and resources', () => {
    const objects = synthRegistry({
      storage: Size.gibibytes(100),
      storageClassName: 'fast-ssd',
      nodePort: 30500,
      image: `docker.io/library/registry@sha256:${'e'.repeat(64)}`,
      resources: { cpu: { request: Cpu.millis(200) }, memory: { limit: Size.gibibytes(2) } },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'imagestreams-registry-storage').spec).toEqual({
      accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'fast-ssd',
    });
    expect(find(objects, 'Service', 'imagestreams-registry-nodeport').spec.ports[0].nodePort).toBe(30500);
    const container = find(objects, 'Deployment', 'imagestreams-registry').spec.template.spec.containers[0];
    expect(container.image).toBe(`docker.io/library/registry@sha256:${'e'.repeat(64)}`);
    // Given resources replace the default as a whole: no hidden limits left behind.
    expect(container.resources).toEqual({ requests: { cpu: '200m' }, limits: { memory: '2Gi' } });
  });
});

describe('the synthesized System with the in-cluster registry', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('passes validate-manifests --require-restricted with no errors, warning only of the Job\'s create on Secrets', async () => {
    // GIVEN the System with the in-cluster registry written as YAML
    dir = mkdtempSync(join(tmpdir(), 'registry-manifests-'));
    const file = join(dir, 'imagestreams.k8s.yaml');
    writeFileSync(file, synthRegistry().map((o) => stringify(o)).join('---\n'));
    // WHEN the shared validator checks it, requiring Pod Security "restricted"
    const result = await validateManifests([file]);
    // THEN it passes, and says the registry's pod and the credentials Job's are restricted
    expect(result.output).toContain(': 0 errors, 1 warnings');
    expect(result.code).toBe(0);
    expect(result.output).toContain('Deployment/imagestreams-system/imagestreams-registry: info: spec.template.spec: meets Pod Security Standard "restricted"');
    expect(result.output).toMatch(/Job\/imagestreams-system\/imagestreams-registry-credentials-[0-9a-f]{8}: info: spec\.template\.spec: meets Pod Security Standard "restricted"/);
    // AND its one warning is the Job's right to create Secrets, which RBAC can't limit to a name (README "Security model")
    expect(result.output).toContain('Role/imagestreams-system/imagestreams-registry-credentials: warning: rules[0]: grants ["create"] on secrets without resourceNames');
  });
});
