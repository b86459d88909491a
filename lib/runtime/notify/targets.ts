import { NOTIFIER_ADDRESS_KEY, NOTIFIER_TOKEN_KEY } from '../../api/notifier';
import type { KubeClient } from '../kube/client';
import { NotFoundError } from '../kube/errors';
import type { KubeObject } from '../kube/types';

type Secret = KubeObject & { data?: Record<string, string> };

/** Where a notifier posts: its Secret's `address`, and `token` when there is one. */
export interface Target {
  readonly address: string;
  readonly token?: string;
}

/** A notifier's Secret is missing or has no address. */
export class TargetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnavailableError';
  }
}

/** The notifiers' targets, read from their Secrets and kept `ttlMs` (a changed URL takes effect after it). */
export class TargetCache {
  private readonly cache = new Map<string, { until: number; target: Promise<Target> }>();

  constructor(private readonly client: KubeClient, private readonly ttlMs = 10_000) {}

  target(namespace: string, secret: string): Promise<Target> {
    const key = `${namespace}/${secret}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.target;
    const target = this.read(namespace, secret);
    this.cache.set(key, { until: Date.now() + this.ttlMs, target });
    target.catch(() => this.cache.delete(key));
    return target;
  }

  private async read(namespace: string, name: string): Promise<Target> {
    let secret: Secret;
    try {
      secret = await this.client.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace }).get(name);
    } catch (error) {
      if (error instanceof NotFoundError) throw new TargetUnavailableError(`Secret "${name}" not found in namespace "${namespace}"`);
      throw error;
    }
    const value = (key: string) => {
      const encoded = secret.data?.[key];
      return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8').trim() : undefined;
    };
    const address = value(NOTIFIER_ADDRESS_KEY);
    if (!address) throw new TargetUnavailableError(`Secret "${name}" has no key "${NOTIFIER_ADDRESS_KEY}" (the URL to post to)`);
    const token = value(NOTIFIER_TOKEN_KEY);
    return { address, ...(token ? { token } : {}) };
  }
}
