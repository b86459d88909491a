import { readFileSync } from 'node:fs';

/** Supplies the Authorization header; asked before each request. */
export interface Credentials {
  /** The header value ("Bearer …", "Basic …"), or undefined to send none. */
  authorization(): Promise<string | undefined>;
  /** Called after a 401: the next authorization() must not reuse what it cached. */
  invalidate(): void;
}

export function noCredentials(): Credentials {
  return { authorization: async () => undefined, invalidate: () => {} };
}

export function bearerToken(token: string): Credentials {
  return { authorization: async () => `Bearer ${token}`, invalidate: () => {} };
}

export function basicAuth(username: string, password: string): Credentials {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  return { authorization: async () => `Basic ${encoded}`, invalidate: () => {} };
}

export interface TokenFileOptions {
  /**
   * How long a token read from the file is reused. Bound service-account tokens are rotated by the
   * kubelet (about hourly), so the file is read again after this, and at once after a 401.
   * @default 60_000
   */
  readonly maxAgeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A bearer token kept in a file that someone else rewrites (in-cluster, kubeconfig `tokenFile`). */
export function tokenFile(path: string, options: TokenFileOptions = {}): Credentials {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { token: string; readAt: number } | undefined;
  return {
    async authorization() {
      if (cached === undefined || now() - cached.readAt >= maxAgeMs) {
        cached = { token: readFileSync(path, 'utf8').trim(), readAt: now() };
      }
      return `Bearer ${cached.token}`;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
