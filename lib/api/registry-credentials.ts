/**
 * The in-cluster registry's credentials, as the System's objects and the runtime's
 * `registry-credentials` command agree on them. The password is made in the cluster, at install
 * time, by that command: no manifest ever holds it.
 */

/** The one user of the registry's htpasswd file. */
export const REGISTRY_USERNAME = 'imagestreams';

/** The keys of the Secret (in the System's namespace) that holds the credentials. */
export const REGISTRY_AUTH_KEYS = Object.freeze({
  /** `imagestreams:<bcrypt hash>`: the file the registry reads (`auth.htpasswd.path`). */
  htpasswd: 'htpasswd',
  username: 'username',
  /** Copied into each namespace's dockerconfigjson Secret, so that new namespaces can get one. */
  password: 'password',
});

/** The key of a kubernetes.io/dockerconfigjson Secret. */
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';

/** A `.dockerconfigjson` document giving `username`/`password` for each of `hosts` (sorted: the same input, the same bytes). */
export function dockerConfigJson(hosts: readonly string[], username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  const auths: Record<string, { username: string; password: string; auth: string }> = {};
  for (const host of [...new Set(hosts)].sort()) auths[host] = { username, password, auth };
  return JSON.stringify({ auths });
}
