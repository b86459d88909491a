import { loadInClusterConfig, type KubeClientConfig } from './kube/config';

/** Points the runtime at a cluster through a kubeconfig file instead of the pod's service account. */
export const KUBECONFIG_ENV = 'IMAGESTREAMS_KUBECONFIG';

/**
 * The cluster the runtime's commands talk to: the pod's service account in a cluster; the kubeconfig
 * named by IMAGESTREAMS_KUBECONFIG when set (tests, benchmarks, running on a laptop).
 */
export async function runtimeKubeConfig(env: NodeJS.ProcessEnv = process.env): Promise<KubeClientConfig> {
  const path = env[KUBECONFIG_ENV];
  if (!path) return loadInClusterConfig({ env });
  // Loaded only on this path: the kubeconfig parser brings the yaml package, which pods never evaluate.
  const { loadKubeconfig } = await import('./kube/kubeconfig');
  return loadKubeconfig({ path, env });
}
