/**
 * What the import and controller benches drive, loaded by tsx (bench/lib.mjs `loadDriver`): a real
 * control plane of the bench's own (test/support/cluster), with this project's CRDs and, for the
 * controller, Tekton's; the registry fixture; our client and importer.
 */
import { customResourceDefinitions } from '../lib/api/crds';
import { createClient, type KubeClient } from '../lib/runtime/kube/client';
import { bearerToken } from '../lib/runtime/kube/credentials';
import type { KubeObject } from '../lib/runtime/kube/types';
import { startCluster, type Cluster } from '../test/support/cluster/start-cluster';
import { installTekton } from '../test/support/cluster/tekton';

export { importExitCode, importStream } from '../lib/runtime/importer/import-stream';
export { imageStreams } from '../lib/runtime/imagestreams/streams';
export { startRegistry } from '../test/support/registry/registry';

export interface BenchCluster {
  readonly cluster: Cluster;
  /** The admin's client; its namespace is `namespace`. */
  readonly kube: KubeClient;
  readonly namespace: string;
  /** The admin's kubeconfig, context namespace `namespace` (for the runtime's IMAGESTREAMS_KUBECONFIG). */
  readonly kubeconfigPath: string;
  /** Milliseconds to start the control plane, and to install Tekton when asked. */
  readonly startMs: number;
  readonly tektonMs?: number;
  stop(): Promise<void>;
}

/** Starts etcd, kube-apiserver and kube-controller-manager, installs the CRDs (and Tekton), makes `namespace`. */
export async function startBenchCluster(options: { namespace: string; tekton?: boolean }): Promise<BenchCluster> {
  // The cluster's processes and their stop() hold no handle of this process: keep it alive until stop().
  const keepAlive = setInterval(() => {}, 60_000);
  const started = Date.now();
  const cluster = await startCluster();
  let tekton: { stop(): Promise<void> } | undefined;
  const kube = createClient({ server: cluster.url, ca: cluster.caPem, namespace: options.namespace, credentials: bearerToken(cluster.adminToken) });
  const stop = async () => {
    kube.close();
    try {
      await tekton?.stop();
    } finally {
      await cluster.stop();
      clearInterval(keepAlive);
    }
  };
  try {
    const startMs = Date.now() - started;
    const crds = kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' });
    for (const crd of customResourceDefinitions()) await crds.apply(crd as unknown as KubeObject, { fieldManager: 'bench', force: true });
    for (const crd of customResourceDefinitions()) {
      await cluster.waitFor(`CRD ${crd.metadata.name} Established`, async () => {
        const conditions = ((await crds.get(crd.metadata.name)).status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
        return (conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      });
    }
    let tektonMs: number | undefined;
    if (options.tekton) {
      const t0 = Date.now();
      tekton = await installTekton(cluster);
      tektonMs = Date.now() - t0;
    }
    await cluster.createNamespace(options.namespace);
    return { cluster, kube, namespace: options.namespace, kubeconfigPath: cluster.kubeconfigFor(cluster.adminToken, { namespace: options.namespace }), startMs, tektonMs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export { shippedControllerCommand } from './shipped-controller';
