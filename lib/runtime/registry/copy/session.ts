import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { basicAuthorization } from '../auth';
import { type Challenge, parseChallenges } from '../challenge';
import type { ClientSettings } from '../client';
import { RegistryError } from '../errors';
import { retryAfterMs } from '../retry';
import { registryApiHost } from '../../../api/image-reference';
import { discard, headerOf, openExchange, type StreamMethod } from './stream-http';

export interface SessionOptions {
  /** The registry as references name it (`docker.io`, `host:5000`). */
  readonly registry: string;
  readonly repository: string;
  /** `pull` for a source, `pull,push` for a target (and DELETE, which a registry grants to push or delete). */
  readonly actions: 'pull' | 'pull,push' | 'pull,push,delete';
  /** Other repositories of the same registry read from (cross-repository mounts): pull scope on each. */
  readonly alsoPull?: readonly string[];
  readonly settings: ClientSettings;
}

export interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** A Buffer is sent again after a 401 or a passing failure; a stream cannot be, so it fails instead. */
  readonly body?: Buffer | Readable;
  /** Follow 3xx (blob GETs are redirected to storage or a CDN): without credentials once off the registry's host. */
  readonly followRedirects?: boolean;
}

const MAX_REDIRECTS = 5;
/** Blob bodies may take long; what matters is that bytes keep coming. */
const MIN_IDLE_TIMEOUT_MS = 30_000;

/**
 * Requests to one repository of one registry, for copies: authorization learned from the registry's
 * 401 challenge (Basic, or a Bearer token for this repository's actions, cached by the AuthCache),
 * retries of 429, 5xx and cut connections for requests that can be sent again, redirects. Every
 * answer is returned as a stream for the caller to read; statuses other than those are the caller's.
 */
export class RegistrySession {
  private readonly apiHost: string;
  private readonly scope: string;

  constructor(private readonly options: SessionOptions) {
    this.apiHost = registryApiHost(options.registry);
    this.scope = [`repository:${options.repository}:${options.actions}`, ...(options.alsoPull ?? []).map((r) => `repository:${r}:pull`)].join(' ');
  }

  get repository(): string {
    return this.options.repository;
  }

  get registry(): string {
    return this.options.registry;
  }

  /** `path` relative to `/v2/<repository>/` (`blobs/sha256:…`), or a Location the registry gave (absolute, or from `/`). */
  url(path: string): URL {
    const base = `${this.options.settings.insecure ? 'http' : 'https'}://${this.apiHost}`;
    if (/^https?:\/\//.test(path)) return new URL(path);
    return new URL(path.startsWith('/') ? path : `/v2/${this.options.repository}/${path}`, base);
  }

  async send(method: StreamMethod, path: string, options: SendOptions = {}): Promise<IncomingMessage> {
    const replayable = options.body === undefined || Buffer.isBuffer(options.body);
    const { retry } = this.options.settings;
    let url = this.url(path);
    let redirects = 0;
    let reauthorized = false;
    let fresh = false;
    for (let attempt = 0; ; ) {
      const onRegistry = url.host === this.url('/').host;
      const authorization: string | undefined = onRegistry ? await this.authorization(fresh) : undefined;
      if (onRegistry && reauthorized && authorization === undefined) {
        throw new RegistryError('Unauthorized', `${this.options.registry} requires credentials and none were given`, 401);
      }
      let res: IncomingMessage;
      try {
        res = await this.exchange(method, url, { ...options.headers, ...(authorization ? { authorization } : {}) }, options.body);
      } catch (error) {
        if (!replayable || !RegistryError.isRegistryError(error) || error.reason !== 'ConnectionReset' || attempt >= retry.retries) throw error;
        await retry.sleep(Math.min(retry.backoffMs * 2 ** attempt, retry.maxBackoffMs));
        attempt++;
        continue;
      }
      const status = res.statusCode ?? 0;
      if (status === 401 && onRegistry && replayable && !reauthorized) {
        await discard(res);
        this.learnChallenge(res, `${method} ${url.href}`);
        // A token that was refused is fetched again; a first try without one gets its first.
        fresh = authorization !== undefined;
        reauthorized = true;
        continue;
      }
      if (status === 401) {
        await discard(res);
        throw new RegistryError('Unauthorized', `${this.options.registry} refused ${this.who()} for ${method} on ${this.options.repository}`, 401);
      }
      if (options.followRedirects && [301, 302, 303, 307, 308].includes(status) && headerOf(res, 'location') && redirects < MAX_REDIRECTS) {
        await discard(res);
        url = new URL(headerOf(res, 'location')!, url);
        redirects++;
        continue;
      }
      if ((status === 429 || status >= 500) && replayable && attempt < retry.retries) {
        const asked = retryAfterMs({ status, headers: res.headers, body: Buffer.alloc(0) }, retry.now());
        await discard(res);
        if ((asked ?? 0) > retry.maxBackoffMs) {
          throw new RegistryError(status === 429 ? 'TooManyRequests' : 'ServerError', `${method} ${url.href} returned ${status} with a Retry-After beyond ${retry.maxBackoffMs} ms`, status);
        }
        await retry.sleep(Math.min(asked ?? retry.backoffMs * 2 ** attempt, retry.maxBackoffMs));
        attempt++;
        continue;
      }
      return res;
    }
  }

  private exchange(method: StreamMethod, url: URL, headers: Record<string, string>, body?: Buffer | Readable): Promise<IncomingMessage> {
    const { timeoutMs, insecure } = this.options.settings;
    return openExchange({ method, url, headers, body, idleTimeoutMs: Math.max(timeoutMs, MIN_IDLE_TIMEOUT_MS), skipTlsVerify: insecure });
  }

  private learnChallenge(res: IncomingMessage, what: string): void {
    const value = headerOf(res, 'www-authenticate');
    const challenges = value ? parseChallenges(value) : [];
    const challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (!challenge) throw new RegistryError('Unauthorized', `${what} returned 401 without a Basic or Bearer challenge`, 401);
    this.options.settings.authCache.rememberChallenge(this.apiHost, challenge);
  }

  private async authorization(fresh: boolean): Promise<string | undefined> {
    const known = this.options.settings.authCache.challengeFor(this.apiHost);
    return known ? this.authorize(known, fresh) : undefined;
  }

  private async authorize(challenge: Challenge, fresh: boolean): Promise<string | undefined> {
    const { credentials, timeoutMs, insecure, retry, authCache } = this.options.settings;
    if (challenge.scheme === 'basic') return credentials ? basicAuthorization(credentials) : undefined;
    const request = { challenge, scope: this.scope, credentials, timeoutMs, registry: { host: this.apiHost, insecure }, retry };
    return `Bearer ${await authCache.token(request, { fresh })}`;
  }

  private who(): string {
    const { credentials } = this.options.settings;
    return credentials ? `the credentials of user "${credentials.username}"` : 'anonymous access';
  }
}
