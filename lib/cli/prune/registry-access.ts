import { IN_CLUSTER_REGISTRY_NAMES, inClusterPushHost } from '../../../constructs/system/registry/in-cluster-names';
import { DEFAULT_SYSTEM_NAMESPACE } from '../../../constructs/system/system';
import { REGISTRY_AUTH_KEYS } from '../../api/registry-credentials';
import { NotFoundError } from '../../runtime/kube/errors';
import type { KubeClient } from '../../runtime/kube/client';
import { RegistryApi, RegistryApiError } from '../../runtime/prune/registry-api';
import { CommandError } from '../cluster-session';

/** Made in the cluster by the System's credentials Job. */
const AUTH_SECRET = IN_CLUSTER_REGISTRY_NAMES.authSecret;

export interface RegistryAccessOptions {
  readonly systemNamespace?: string;
  /** Where this process reaches the registry (a port-forward, an Ingress). */
  readonly registryUrl?: string;
  readonly insecure: boolean;
}


/**
 * A client of the System's in-cluster registry, with the credentials of its auth Secret (read
 * through the kubeconfig). By default at the Service's cluster DNS name, which answers only inside
 * the cluster: from outside, port-forward and pass --registry-url.
 */
export async function inClusterRegistry(kube: KubeClient, options: RegistryAccessOptions): Promise<{ api: RegistryApi; host: string; systemNamespace: string }> {
  const systemNamespace = options.systemNamespace ?? DEFAULT_SYSTEM_NAMESPACE;
  const host = inClusterPushHost(systemNamespace);
  const secrets = kube.resource<{ apiVersion: string; kind: string; metadata: { name: string }; data?: Record<string, string> }>({ apiVersion: 'v1', resource: 'secrets', namespace: systemNamespace });
  let data: Record<string, string> | undefined;
  try {
    data = (await secrets.get(AUTH_SECRET)).data;
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new CommandError(`secret "${AUTH_SECRET}" not found in namespace "${systemNamespace}": is the System's in-cluster registry installed there? (--system-namespace names another)`);
    }
    throw e;
  }
  const decode = (key: string) => (data?.[key] ? Buffer.from(data[key], 'base64').toString('utf8') : undefined);
  const username = decode(REGISTRY_AUTH_KEYS.username);
  const password = decode(REGISTRY_AUTH_KEYS.password);
  if (!username || !password) throw new CommandError(`secret "${AUTH_SECRET}" in namespace "${systemNamespace}" has no ${REGISTRY_AUTH_KEYS.username} and ${REGISTRY_AUTH_KEYS.password}`);
  const url = options.registryUrl ?? `http://${host}`;
  const api = new RegistryApi({ url, credentials: { username, password }, insecure: options.insecure });
  return { api, host, systemNamespace };
}

/** Runs `action`, turning a failure of the registry (not the cluster) into one line that says where, and how to reach it from outside. */
export async function atRegistry<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof RegistryApiError)) throw e;
    const hint = e.unreachable ? ": from outside the cluster, 'kubectl -n imagestreams-system port-forward svc/imagestreams-registry 5000' and pass --registry-url http://localhost:5000" : '';
    throw new CommandError(`${e.message}${hint}`);
  }
}
