import { RECEIVER_TOKEN_KEY } from '../../api/receiver';
import type { KubeClient } from '../kube/client';
import { KubeApiError, NotFoundError } from '../kube/errors';
import type { KubeObject } from '../kube/types';

type Secret = KubeObject & { data?: Record<string, string> };

/** Why a receiver has no token to check deliveries with. */
export class TokenUnavailableError extends Error {
  /** `forbidden`: the API server refused the read (RBAC), which a Role granting `get` on the Secret fixes. */
  constructor(message: string, readonly forbidden = false) {
    super(message);
    this.name = 'TokenUnavailableError';
  }
}

export interface TokenCacheOptions {
  /** How long a read Secret is used before it is read again (a rotated token takes effect after it). @default 10_000 */
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** The Secret key holding the token. @default 'token' (RECEIVER_TOKEN_KEY) */
  readonly key?: string;
  /** Shorter tokens are refused. @default 16 */
  readonly minLength?: number;
}

/**
 * The receivers' tokens, read from their Secrets (key `token`, surrounding whitespace dropped: a
 * file made by `openssl rand -hex 32 > token` ends in a newline) and kept briefly, so that a flood of
 * deliveries costs the API server one read per Secret and interval. Failed reads are kept as long,
 * and the error never quotes the Secret's content.
 */
export class TokenCache {
  private readonly cache = new Map<string, { until: number; token?: string; error?: TokenUnavailableError; read?: Promise<string> }>();
  private readonly now: () => number;

  constructor(private readonly client: KubeClient, private readonly options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async token(namespace: string, secret: string): Promise<string> {
    const key = `${namespace}/${secret}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) {
      if (cached.read) return cached.read;
      if (cached.error) throw cached.error;
      return cached.token!;
    }
    const read = this.read(namespace, secret);
    const entry: { until: number; token?: string; error?: TokenUnavailableError; read?: Promise<string> } = { until: Infinity, read };
    this.cache.set(key, entry);
    try {
      entry.token = await read;
      return entry.token;
    } catch (error) {
      entry.error = error instanceof TokenUnavailableError ? error : new TokenUnavailableError(`Secret "${secret}" can't be read: ${(error as Error).message}`);
      throw entry.error;
    } finally {
      entry.read = undefined;
      entry.until = this.now() + (this.options.ttlMs ?? 10_000);
    }
  }

  private async read(namespace: string, name: string): Promise<string> {
    let secret: Secret;
    try {
      secret = await this.client.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace }).get(name);
    } catch (error) {
      if (error instanceof NotFoundError) throw new TokenUnavailableError(`Secret "${name}" not found in namespace "${namespace}"`);
      if (error instanceof KubeApiError && error.statusCode === 403) throw new TokenUnavailableError(`the controller may not read Secret "${name}" in namespace "${namespace}"`, true);
      throw error;
    }
    const key = this.options.key ?? RECEIVER_TOKEN_KEY;
    const minLength = this.options.minLength ?? 16;
    const encoded = secret.data?.[key];
    if (typeof encoded !== 'string') throw new TokenUnavailableError(`Secret "${name}" has no key "${key}"`);
    const token = Buffer.from(encoded, 'base64').toString('utf8').trim();
    if (token.length < minLength) throw new TokenUnavailableError(`Secret "${name}": the "${key}" is shorter than ${minLength} characters`);
    return token;
  }
}
