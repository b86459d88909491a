import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { IN_CLUSTER_REGISTRY_NAMES, StreamRegistry, type InClusterRegistryOptions } from '../../../../constructs/system/registry';
import { System } from '../../../../constructs/system/system';
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
  const objects = synthRegistry({}, 'platform');
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

  it('configure the pinned distribution image with env vars, storage on the claim', () => {
    expect(container.name).toBe('registry');
    expect(container.image).toBe('docker.io/library/registry:2.8.3');
    expect(container.env).toEqual([
      { name: 'REGISTRY_HTTP_ADDR', value: ':5000' },
      { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/var/lib/registry' },
      { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' },
    ]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5000, protocol: 'TCP' }]);
    expect(container.volumeMounts).toEqual([
      { name: 'storage', mountPath: '/var/lib/registry' },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'storage', persistentVolumeClaim: { claimName: 'imagestreams-registry-storage' } },
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

  it('probe /v2/ and request and limit resources', () => {
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/v2/', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/v2/', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  it('expose port 5000 in the cluster and the NodePort 32000 on every node', () => {
    const port = { name: 'http', port: 5000, targetPort: 'http', protocol: 'TCP' };
    expect(find(objects, 'Service', 'imagestreams-registry').spec).toEqual({ type: 'ClusterIP', selector: SELECTOR, ports: [port] });
    expect(find(objects, 'Service', 'imagestreams-registry-nodeport').spec).toEqual({ type: 'NodePort', selector: SELECTOR, ports: [{ ...port, nodePort: 32000 }] });
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

  it('passes validate-manifests --require-restricted with no errors', async () => {
    // GIVEN the System with the in-cluster registry written as YAML
    dir = mkdtempSync(join(tmpdir(), 'registry-manifests-'));
    const file = join(dir, 'imagestreams.k8s.yaml');
    writeFileSync(file, synthRegistry().map((o) => stringify(o)).join('---\n'));
    // WHEN the shared validator checks it, requiring Pod Security "restricted"
    const result = await validateManifests([file]);
    // THEN it passes, and says the registry's pod is restricted
    expect(result.output).toContain(': 0 errors, 0 warnings');
    expect(result.code).toBe(0);
    expect(result.output).toContain('Deployment/imagestreams-system/imagestreams-registry: info: spec.template.spec: meets Pod Security Standard "restricted"');
  });
});
