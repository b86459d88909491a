/**
 * The one Kubernetes fixture of the suite: the run's real cluster (test/support/cluster) with this
 * project's CRDs installed, a namespace of the test's own, and clients for it — as the admin, or as a
 * ServiceAccount with a TokenRequest token (what a pod of ours would hold).
 */
import { afterAll, beforeAll } from 'vitest';
import { BUILDCONFIGS, IMAGESTREAMS, PIPELINERUNS, TASKRUNS, type ApiResource } from '../../lib/api/group';
import { customResourceDefinitions } from '../../lib/api/crds';
import type { BuildConfigObject } from '../../lib/api/buildconfig';
import type { ImageStreamObject } from '../../lib/api/imagestream';
import type { KubeObject } from '../../lib/api/kube-object';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createClient, type KubeClient, type ResourceClient } from '../../lib/runtime/kube/client';
import { bearerToken } from '../../lib/runtime/kube/credentials';
import { getCluster, uniqueNamespace, type ClusterClient } from './cluster';

export type StreamResource = ImageStreamObject & KubeObject;
export type BuildConfigResource = BuildConfigObject & KubeObject;

export interface TestKube {
  readonly cluster: ClusterClient;
  /** The test's own namespace. */
  readonly namespace: string;
  /** The admin's client, its default namespace the test's. */
  readonly kube: KubeClient;
  /** A kubeconfig file for the admin, context namespace the test's (for the CLI and the runtime's commands). */
  readonly kubeconfigPath: string;
  resource<T extends KubeObject = KubeObject>(ref: ApiResource, namespace?: string): ResourceClient<T>;
  streams(namespace?: string): ResourceClient<StreamResource>;
  buildConfigs(namespace?: string): ResourceClient<BuildConfigResource>;
  pipelineRuns(namespace?: string): ResourceClient<PipelineRun>;
  taskRuns(namespace?: string): ResourceClient;
  /** Another namespace, for tests that span several (a second tenant, a stream elsewhere). */
  newNamespace(prefix: string, labels?: Record<string, string>): Promise<string>;
  /** A client acting as `system:serviceaccount:<namespace>:<name>` (the ServiceAccount is created when missing). */
  clientAs(serviceAccount: string, namespace?: string): Promise<KubeClient>;
  /** Creates a kubernetes.io/dockerconfigjson Secret with basic credentials for `registryHost`. */
  createPullSecret(name: string, registryHost: string, username: string, password: string, namespace?: string): Promise<void>;
  /** Creates the objects (synthesized by the constructs) in the cluster, in order, by server-side apply as the admin. */
  apply(objects: readonly KubeObject[]): Promise<void>;
  /** Closes the clients made here. */
  close(): void;
}

let crdsInstalled: Promise<void> | undefined;

/** Installs the ImageStream and BuildConfig CRDs once per worker and waits until they are served. */
function installCrds(cluster: ClusterClient): Promise<void> {
  crdsInstalled ??= (async () => {
    const kube = adminClient(cluster, 'default');
    const crds = kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' });
    for (const crd of customResourceDefinitions()) {
      await crds.apply(crd as unknown as KubeObject, { fieldManager: 'imagestreams-tests', force: true });
    }
    for (const crd of customResourceDefinitions()) {
      await cluster.waitFor(`CRD ${crd.metadata.name} Established`, async () => {
        const got = await crds.get(crd.metadata.name);
        return ((got.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      });
    }
    kube.close();
  })();
  return crdsInstalled;
}

function adminClient(cluster: ClusterClient, namespace: string): KubeClient {
  return createClient({ server: cluster.url, ca: cluster.caPem, namespace, credentials: bearerToken(cluster.adminToken) });
}

/** The run's cluster with the CRDs, and a fresh namespace named after `prefix`. */
export async function testKube(prefix: string, labels: Record<string, string> = {}): Promise<TestKube> {
  const cluster = await getCluster();
  await installCrds(cluster);
  const namespace = await uniqueNamespace(prefix, labels);
  const clients: KubeClient[] = [];
  const track = (client: KubeClient) => (clients.push(client), client);
  const kube = track(adminClient(cluster, namespace));
  const resource = <T extends KubeObject>(ref: ApiResource, ns = namespace) => kube.resource<T>({ ...ref, namespace: ns });
  return {
    cluster,
    namespace,
    kube,
    kubeconfigPath: cluster.kubeconfigFor(cluster.adminToken, { namespace }),
    resource,
    streams: (ns) => resource<StreamResource>(IMAGESTREAMS, ns),
    buildConfigs: (ns) => resource<BuildConfigResource>(BUILDCONFIGS, ns),
    pipelineRuns: (ns) => resource<PipelineRun>(PIPELINERUNS, ns),
    taskRuns: (ns) => resource(TASKRUNS, ns),
    newNamespace: (p, l) => uniqueNamespace(p, l),
    async clientAs(serviceAccount, ns = namespace) {
      const accounts = kube.resource({ apiVersion: 'v1', resource: 'serviceaccounts', namespace: ns });
      await accounts.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace: ns } }, { fieldManager: 'imagestreams-tests' });
      const token = await cluster.tokenFor(ns, serviceAccount);
      return track(createClient({ server: cluster.url, ca: cluster.caPem, namespace: ns, credentials: bearerToken(token) }));
    },
    async createPullSecret(name, registryHost, username, password, ns = namespace) {
      const auth = Buffer.from(`${username}:${password}`).toString('base64');
      const json = JSON.stringify({ auths: { [registryHost]: { auth } } });
      await kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: ns }).create({
        apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(json).toString('base64') },
      });
    },
    async apply(objects) {
      for (const object of objects) {
        const ref = { apiVersion: object.apiVersion, resource: pluralOf(object.kind), namespace: object.metadata.namespace };
        await kube.resource(ref).apply(object, { fieldManager: 'imagestreams-tests', force: true });
      }
    },
    close: () => clients.forEach((c) => c.close()),
  };
}

/** The resource name of the kinds tests apply (Kubernetes' own rule: lower-case plural). */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * testKube for the tests of one describe block: set up in beforeAll, closed in afterAll. Read its
 * members inside tests and hooks.
 */
export function useTestKube(prefix: string, labels: Record<string, string> = {}): TestKube {
  let ready: TestKube | undefined;
  beforeAll(async () => {
    ready = await testKube(prefix, labels);
  });
  afterAll(() => ready?.close());
  return new Proxy({} as TestKube, {
    get(_, property) {
      if (!ready) throw new Error(`useTestKube(): read .${String(property)} inside tests or hooks (it is set up in beforeAll)`);
      return Reflect.get(ready, property, ready);
    },
  });
}
