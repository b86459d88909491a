import { randomBytes } from 'node:crypto';
import { DOCKER_CONFIG_JSON_KEY, dockerConfigJson, REGISTRY_AUTH_KEYS, REGISTRY_USERNAME } from '../../api/registry-credentials';
import type { KubeClient } from '../kube/client';
import { ConflictError, NotFoundError } from '../kube/errors';
import type { KubeObject } from '../kube/types';
import { bcryptHash, BCRYPT_SALT_BYTES } from './bcrypt';

/**
 * The password is 32 random bytes (256 bits): no dictionary, so bcrypt's cost buys nothing against
 * guessing, while the registry pays it on every request it checks. The cheapest cost Go's bcrypt
 * takes would do; this leaves a margin.
 */
export const BCRYPT_COST = 5;

export interface CredentialsPlan {
  /** The System's namespace, where the registry and its auth Secret live. */
  readonly namespace: string;
  /** The Opaque Secret with the htpasswd file, the user name and the password. */
  readonly authSecret: string;
  /** The kubernetes.io/dockerconfigjson Secret made in each of `namespaces`. */
  readonly dockerConfigSecret: string;
  /** Every address the registry is reached at (its Service, the nodes' pull address). */
  readonly hosts: readonly string[];
  /** Where builds push or pull, and workloads pull. */
  readonly namespaces: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface CredentialsReport {
  /** `created`: a new password; `kept`: the existing one. */
  readonly password: 'created' | 'kept';
  /** Per namespace: what happened to its dockerconfigjson Secret. */
  readonly secrets: Readonly<Record<string, 'created' | 'updated' | 'unchanged'>>;
}

type Secret = KubeObject & { type?: string; data?: Record<string, string> };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string | undefined) => (text === undefined ? undefined : Buffer.from(text, 'base64').toString('utf8'));

/**
 * Makes the registry's credentials exist: the auth Secret (a new random password the first time;
 * the one it holds afterwards), then in each namespace a dockerconfigjson Secret that matches it.
 * Safe to run again and concurrently: creates race through 409 and re-read; it never logs a secret.
 */
export async function ensureRegistryCredentials(kube: KubeClient, plan: CredentialsPlan): Promise<CredentialsReport> {
  const { username, password, created } = await authSecret(kube, plan);
  const wanted = b64(dockerConfigJson(plan.hosts, username, password));
  const secrets: Record<string, 'created' | 'updated' | 'unchanged'> = {};
  for (const namespace of [...new Set(plan.namespaces)].sort()) {
    secrets[namespace] = await dockerConfigSecret(kube, plan, namespace, wanted);
  }
  return { password: created ? 'created' : 'kept', secrets };
}

async function authSecret(kube: KubeClient, plan: CredentialsPlan): Promise<{ username: string; password: string; created: boolean }> {
  const client = kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace: plan.namespace });
  for (let attempt = 0; ; attempt++) {
    const existing = await getOrUndefined(client.get(plan.authSecret));
    if (existing) return { ...readAuth(existing, plan), created: false };
    const { password, htpasswd } = newCredentials();
    try {
      await client.create({
        apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
        metadata: { name: plan.authSecret, namespace: plan.namespace, labels: { ...plan.labels } },
        data: { [REGISTRY_AUTH_KEYS.htpasswd]: b64(htpasswd), [REGISTRY_AUTH_KEYS.username]: b64(REGISTRY_USERNAME), [REGISTRY_AUTH_KEYS.password]: b64(password) },
      });
      return { username: REGISTRY_USERNAME, password, created: true };
    } catch (error) {
      // Another run created it between our get and create: use theirs.
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

/** A random password and the htpasswd file line of the registry's user with it. */
export function newCredentials(): { username: string; password: string; htpasswd: string } {
  const password = randomBytes(32).toString('base64url');
  const htpasswd = `${REGISTRY_USERNAME}:${bcryptHash(password, BCRYPT_COST, randomBytes(BCRYPT_SALT_BYTES))}\n`;
  return { username: REGISTRY_USERNAME, password, htpasswd };
}

function readAuth(secret: Secret, plan: CredentialsPlan): { username: string; password: string } {
  const username = unb64(secret.data?.[REGISTRY_AUTH_KEYS.username]);
  const password = unb64(secret.data?.[REGISTRY_AUTH_KEYS.password]);
  if (!username || !password || !secret.data?.[REGISTRY_AUTH_KEYS.htpasswd]) {
    // Named, never shown: its content is a secret.
    const keys = Object.values(REGISTRY_AUTH_KEYS).join(', ');
    throw new Error(`Secret ${plan.namespace}/${plan.authSecret} lacks one of the keys ${keys}: delete it to have new credentials made (then restart the registry)`);
  }
  return { username, password };
}

async function dockerConfigSecret(kube: KubeClient, plan: CredentialsPlan, namespace: string, wanted: string): Promise<'created' | 'updated' | 'unchanged'> {
  const client = kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace });
  for (let attempt = 0; ; attempt++) {
    const existing = await getOrUndefined(client.get(plan.dockerConfigSecret));
    try {
      if (!existing) {
        await client.create({
          apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/dockerconfigjson',
          metadata: { name: plan.dockerConfigSecret, namespace, labels: { ...plan.labels } },
          data: { [DOCKER_CONFIG_JSON_KEY]: wanted },
        });
        return 'created';
      }
      if (existing.type !== 'kubernetes.io/dockerconfigjson') {
        throw new Error(`Secret ${namespace}/${plan.dockerConfigSecret} exists with type ${existing.type ?? 'Opaque'}, not kubernetes.io/dockerconfigjson: it is someone else's; delete or rename it`);
      }
      if (existing.data?.[DOCKER_CONFIG_JSON_KEY] === wanted) return 'unchanged';
      await client.update({ ...existing, data: { ...existing.data, [DOCKER_CONFIG_JSON_KEY]: wanted } });
      return 'updated';
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

async function getOrUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
