import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import { dockerConfigFromSecret, type DockerAuthEntry, type DockerConfig, type PullSecret } from './auth';
import { RegistryError } from './errors';
import { isDnsSubdomain, ruleText } from '../../api/names';

export interface LoadedPullSecrets {
  /** The `auths` of every readable secret; for a registry named in several, the first secret wins. */
  readonly dockerConfig?: DockerConfig;
  /** One line per secret that could not be used (missing, wrong type, bad JSON): imports go on without it. */
  readonly warnings: readonly string[];
}

/** Reads spec.pullSecrets (kubernetes.io/dockerconfigjson Secrets) from the stream's namespace. */
export async function loadPullSecrets(kube: KubeClient, namespace: string, names: readonly string[]): Promise<LoadedPullSecrets> {
  if (names.length === 0) return { warnings: [] };
  const secrets = kube.resource<KubeObject & PullSecret>({ apiVersion: 'v1', resource: 'secrets', namespace });
  const auths: Record<string, DockerAuthEntry> = {};
  const warnings: string[] = [];
  for (const name of names) {
    // A Secret is read in the stream's namespace by its plain name; anything else (a path, `ns/name`) is no Secret of it.
    if (!isDnsSubdomain(name)) {
      warnings.push(`pull secret "${name}" is not used: not a Secret name (${ruleText('subdomain')}); pull secrets are read in the stream's own namespace`);
      continue;
    }
    try {
      const config = dockerConfigFromSecret(await secrets.get(name));
      for (const [key, entry] of Object.entries(config.auths)) if (!(key in auths)) auths[key] = entry;
    } catch (error) {
      if (!RegistryError.isRegistryError(error) && !isKubeError(error)) throw error;
      warnings.push(`pull secret "${name}" is not used: ${(error as Error).message}`);
    }
  }
  return { dockerConfig: Object.keys(auths).length > 0 ? { auths } : undefined, warnings };
}

/** KubeApiError without importing its class hierarchy's siblings: anything with an HTTP statusCode. */
function isKubeError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}
