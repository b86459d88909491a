import { loadInClusterConfig, type KubeClientConfig } from './config';
import { loadKubeconfig } from './kubeconfig';

/**
 * In-cluster when KUBERNETES_SERVICE_HOST is set (kubelet sets it in every pod), else the kubeconfig.
 * Kept apart from config.ts so that in-cluster-only code does not bundle the YAML parser.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KubeClientConfig {
  return env.KUBERNETES_SERVICE_HOST ? loadInClusterConfig({ env }) : loadKubeconfig({ env });
}
