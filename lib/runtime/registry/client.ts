import { basicAuthorization, BasicCredentials } from './auth';
import { Challenge, parseChallenges } from './challenge';
import { RegistryError } from './errors';
import { header, HttpResponse, send } from './http';
import { ImageReference, registryApiHost } from '../../api/image-reference';
import { RetryPolicy, retryAfterMs, withRetries } from './retry';
import { sharedRegistryLimiter, type RegistryLimiter } from './registry-limiter';
import { AuthCache } from './token';

/** Everything a RepositoryClient needs, already resolved (no optional fields). */
export interface ClientSettings {
  /** Plain http to the registry; https requests (e.g. a token realm) skip TLS verification. */
  readonly insecure: boolean;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly credentials?: BasicCredentials;
  readonly authCache: AuthCache;
  /** Exchanges in flight per registry, and Retry-After pauses. @default - the process's (sharedRegistryLimiter) */
  readonly limiter?: RegistryLimiter;
}

/**
 * Talks to one repository of one registry: adds authorization (basic or Bearer, learned from the
 * registry's 401 challenge) and retries 429/5xx. Returns every other response to the caller.
 */
export class RepositoryClient {
  private readonly apiHost: string;

  public constructor(
    private readonly ref: ImageReference,
    private readonly settings: ClientSettings,
  ) {
    this.apiHost = registryApiHost(ref.registry);
  }

  /** `path` is relative to `/v2/<repository>/`, e.g. `manifests/latest`. */
  public async request(method: 'GET' | 'HEAD', path: string, headers: Record<string, string>): Promise<HttpResponse> {
    const url = new URL(`${this.settings.insecure ? 'http' : 'https'}://${this.apiHost}/v2/${this.ref.repository}/${path}`);
    const known = this.settings.authCache.challengeFor(this.apiHost);
    const authorization = known ? await this.authorize(known, false) : undefined;
    const first = await this.exchange(method, url, headers, authorization);
    if (first.status !== 401) return first;
    const challenge = pickChallenge(header(first, 'www-authenticate'));
    if (!challenge) throw this.unauthorized(`${method} ${url.href} returned 401 without a Basic or Bearer challenge`);
    this.settings.authCache.rememberChallenge(this.apiHost, challenge);
    const retried = await this.authorize(challenge, authorization !== undefined);
    if (retried === undefined) throw this.unauthorized(`${this.ref.registry} requires credentials and none were given`);
    const second = await this.exchange(method, url, headers, retried);
    if (second.status === 401) throw this.unauthorized(`${this.ref.registry} rejected ${this.who()} for ${this.ref.repository}`);
    return second;
  }

  private exchange(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, authorization?: string) {
    const all = authorization ? { ...headers, authorization } : headers;
    const { timeoutMs, insecure, retry } = this.settings;
    const limiter = this.settings.limiter ?? sharedRegistryLimiter;
    return withRetries(`${method} ${url.href}`, retry, () => limiter.run(this.apiHost, async () => {
      const response = await send({ method, url, headers: all, timeoutMs, skipTlsVerify: insecure });
      // Asked to wait: every request to this registry waits, not only this one. A wait beyond the longest
      // back-off fails this request at once (withRetries), and each other one when it is answered so.
      const asked = response.status === 429 || response.status === 503 ? retryAfterMs(response, retry.now()) : undefined;
      if (asked !== undefined && asked <= retry.maxBackoffMs) limiter.pause(this.apiHost, asked);
      return response;
    }));
  }

  /** The Authorization value for a challenge; undefined for Basic without credentials. */
  private async authorize(challenge: Challenge, fresh: boolean): Promise<string | undefined> {
    const { credentials, timeoutMs, insecure, retry } = this.settings;
    if (challenge.scheme === 'basic') return credentials ? basicAuthorization(credentials) : undefined;
    const scope = `repository:${this.ref.repository}:pull`;
    const request = { challenge, scope, credentials, timeoutMs, registry: { host: this.apiHost, insecure }, retry };
    return `Bearer ${await this.settings.authCache.token(request, { fresh })}`;
  }

  private who(): string {
    return this.settings.credentials ? `the credentials of user "${this.settings.credentials.username}"` : 'anonymous access';
  }

  private unauthorized(message: string): RegistryError {
    return new RegistryError('Unauthorized', message, 401);
  }
}

/** Bearer if offered (it works anonymously too), else Basic. */
function pickChallenge(value: string | undefined): Challenge | undefined {
  const challenges = value ? parseChallenges(value) : [];
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
