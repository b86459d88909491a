import { basicAuthorization, BasicCredentials } from './auth';
import { Challenge } from './challenge';
import { RegistryError } from './errors';
import { send } from './http';
import { RetryPolicy, withRetries } from './retry';

/** The distribution token spec's default lifetime when the server gives no expires_in. */
const DEFAULT_EXPIRES_IN_SECONDS = 60;
/** Renew a little before expiry so a token doesn't expire on its way to the registry. */
const EXPIRY_MARGIN_MS = 5_000;

export interface TokenRequest {
  readonly challenge: Challenge;
  /** `repository:NAME:pull`; several separated by spaces (`repository:A:pull,push repository:B:pull`). */
  readonly scope: string;
  readonly credentials?: BasicCredentials;
  readonly timeoutMs: number;
  /** The registry that sent the challenge: its API host, and whether it is plain http (or unverified https). */
  readonly registry: { readonly host: string; readonly insecure: boolean };
  readonly retry: RetryPolicy;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Bearer tokens per (realm, service, scope, user) until they expire, and the last challenge seen
 * per registry host so later requests can send a token up front instead of collecting a 401 first.
 */
export class AuthCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly challenges = new Map<string, Challenge>();
  /** One fetch per key at a time, however many resolutions wait for it. */
  private readonly inflight = new Map<string, Promise<CachedToken>>();

  /** @param now epoch milliseconds; tests pass a fake clock */
  public constructor(private readonly now: () => number = Date.now) {}

  public challengeFor(registryHost: string): Challenge | undefined {
    return this.challenges.get(registryHost);
  }

  public rememberChallenge(registryHost: string, challenge: Challenge): void {
    this.challenges.set(registryHost, challenge);
  }

  /** A cached token when still valid, else a new one from the token server. */
  public async token(request: TokenRequest, options: { fresh?: boolean } = {}): Promise<string> {
    const key = cacheKey(request);
    const cached = this.tokens.get(key);
    if (!options.fresh && cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return cached.token;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = fetchToken(request, this.now()).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const fetched = await pending;
    this.tokens.set(key, fetched);
    return fetched.token;
  }
}

function cacheKey(request: TokenRequest): string {
  const { realm = '', service = '' } = request.challenge.params;
  return JSON.stringify([realm, service, request.scope, request.credentials?.username ?? '']);
}

/** GET realm?service=…&scope=… (with basic credentials when we have them). */
async function fetchToken(request: TokenRequest, now: number): Promise<CachedToken> {
  const { realm, service } = request.challenge.params;
  if (!realm) throw new RegistryError('Unauthorized', 'the registry asked for a Bearer token without a realm');
  const url = realmUrl(realm, request.registry);
  if (service) url.searchParams.set('service', service);
  // Several scopes (a push, and a pull of the repository a blob is mounted from) go as repeated parameters.
  for (const scope of request.scope.split(' ')) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (request.credentials) headers.authorization = basicAuthorization(request.credentials);
  const what = `GET ${url.origin}${url.pathname}`;
  const response = await withRetries(what, request.retry, () =>
    // `insecure` is the registry's: it covers its own host (a token server beside it), no other.
    send({ method: 'GET', url, headers, timeoutMs: request.timeoutMs, skipTlsVerify: request.registry.insecure && url.hostname === hostnameOf(request.registry.host) }),
  );
  if (response.status !== 200) {
    const who = request.credentials ? `user "${request.credentials.username}"` : 'anonymous access';
    throw new RegistryError(
      response.status === 403 ? 'Forbidden' : 'Unauthorized',
      `token server ${url.origin}${url.pathname} refused ${who} for scope "${request.scope}" (${response.status})`,
      response.status,
    );
  }
  return parseTokenResponse(response.body, what, now);
}

/**
 * The realm a challenge names, if we may call it: https, or plain http on the host of a registry
 * that is plain http itself (a local registry and its token server). A registry's WWW-Authenticate
 * could otherwise send our credentials, or fetch a token we'd trust, over plain http anywhere.
 */
function realmUrl(realm: string, registry: { host: string; insecure: boolean }): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new RegistryError('Unauthorized', `the registry's token realm ${JSON.stringify(realm)} is not a URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && registry.insecure && url.hostname === hostnameOf(registry.host)) return url;
  throw new RegistryError('Unauthorized', `the registry ${registry.host} sent the token realm ${url.origin}, which is not https${url.protocol === 'http:' ? ' (plain http is allowed only on the host of a plain-http registry)' : ''}: no token requested, no credentials sent`);
}

/** `host[:port]` → host (brackets kept for IPv6, as URL.hostname has them). */
const hostnameOf = (host: string) => new URL(`http://${host}`).hostname;

function parseTokenResponse(body: Buffer, what: string, now: number): CachedToken {
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RegistryError('InvalidResponse', `${what} returned a body that is not JSON`);
  }
  const token = typeof parsed.token === 'string' ? parsed.token : parsed.access_token;
  if (typeof token !== 'string' || token.length === 0) {
    throw new RegistryError('InvalidResponse', `${what} returned no "token"`);
  }
  const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : undefined;
  const issuedAt = typeof parsed.issued_at === 'string' ? Date.parse(parsed.issued_at) : NaN;
  const start = Number.isNaN(issuedAt) ? now : issuedAt;
  return { token, expiresAt: start + (expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000 };
}
