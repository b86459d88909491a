import { basicAuthorization, type BasicCredentials } from '../registry/auth';
import { RegistryError } from '../registry/errors';
import { header, send, type HttpResponse } from '../registry/http';
import { indexEntries, isIndex, MANIFEST_ACCEPT } from '../registry/manifest';

export interface RegistryApiOptions {
  /** `http://host:port` or `https://host:port`: where this process reaches the registry. */
  readonly url: string;
  /** Basic credentials, sent with every request (the in-cluster registry is htpasswd). */
  readonly credentials?: BasicCredentials;
  /** Skip TLS verification for https. */
  readonly insecure?: boolean;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Entries asked for per page of the catalog and of tag lists (`?n=`). @default 1000 */
  readonly pageSize?: number;
}

/** What a manifest names: its media type, its child manifests (an index) and its blobs with their sizes (an image). */
export interface ManifestInfo {
  readonly digest: string;
  readonly mediaType: string;
  /** The manifest's own bytes (the registry stores it as a blob too). */
  readonly size: number;
  readonly children: readonly string[];
  readonly blobs: ReadonlyArray<{ readonly digest: string; readonly size: number }>;
}

/** distribution's default and largest catalog page. */
const PAGE = 1000;

/** A failure talking to the registry (not to the cluster): unreachable, refused credentials, an unexpected answer. */
export class RegistryApiError extends Error {
  constructor(message: string, readonly unreachable = false) {
    super(message);
    this.name = 'RegistryApiError';
  }
}

/**
 * The registry API calls that maintenance needs and imports don't: the catalog, tag lists, a
 * manifest's blobs, and DELETE of a manifest by digest. Basic auth on every request; no retries
 * (an operator runs these, and sees the error).
 */
export class RegistryApi {
  private readonly base: URL;

  constructor(private readonly options: RegistryApiOptions) {
    this.base = new URL(options.url);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new Error(`the registry URL (${options.url}) must start with http:// or https://`);
    }
  }

  get host(): string {
    return this.base.host;
  }

  /** Every repository, following the catalog's pages. */
  async repositories(): Promise<string[]> {
    return this.paged('/v2/_catalog', 'repositories');
  }

  /** Every tag of a repository (none when the repository is unknown). */
  async tags(repository: string): Promise<string[]> {
    return this.paged(`/v2/${repository}/tags/list`, 'tags');
  }

  /** The digest `reference` (a tag or digest) points at now; undefined when there is no such manifest. */
  async resolve(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.call('HEAD', `/v2/${repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) return undefined;
    this.expect(res, 200, `HEAD ${repository}:${reference}`);
    return header(res, 'docker-content-digest');
  }

  /** The manifest `digest` of `repository`, or undefined when the registry doesn't have it there. */
  async manifest(repository: string, digest: string): Promise<ManifestInfo | undefined> {
    const res = await this.call('GET', `/v2/${repository}/manifests/${digest}`, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) return undefined;
    this.expect(res, 200, `GET ${repository}@${digest}`);
    const body = JSON.parse(res.body.toString('utf8')) as { mediaType?: string; config?: { digest: string; size: number }; layers?: { digest: string; size: number }[] };
    const mediaType = header(res, 'content-type') ?? body.mediaType ?? '';
    const size = res.body.length;
    if (isIndex(mediaType)) return { digest, mediaType, size, children: indexEntries(res.body).map((e) => e.digest), blobs: [] };
    const blobs = [...(body.config ? [body.config] : []), ...(body.layers ?? [])].map((b) => ({ digest: b.digest, size: b.size }));
    return { digest, mediaType, size, children: [], blobs };
  }

  /** Deletes a manifest by digest (its tags go with it); false when it was already gone. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const res = await this.call('DELETE', `/v2/${repository}/manifests/${digest}`, {});
    if (res.status === 404) return false;
    if (res.status === 405) {
      throw new RegistryApiError(`${this.host} refuses to delete manifests (405): the registry needs deletes enabled (StreamRegistry.inCluster({ allowDeletes: true }), distribution's storage.delete.enabled)`);
    }
    this.expect(res, 202, `DELETE ${repository}@${digest}`);
    return true;
  }

  private async paged(first: string, key: 'repositories' | 'tags'): Promise<string[]> {
    const all: string[] = [];
    let path: string | undefined = `${first}?n=${this.options.pageSize ?? PAGE}`;
    while (path) {
      const res = await this.call('GET', path, { accept: 'application/json' });
      if (res.status === 404 && key === 'tags') return [];
      this.expect(res, 200, `GET ${first}`);
      all.push(...((JSON.parse(res.body.toString('utf8')) as Record<string, string[] | null>)[key] ?? []));
      path = nextPage(header(res, 'link'));
    }
    return all;
  }

  private async call(method: 'GET' | 'HEAD' | 'DELETE', path: string, headers: Record<string, string>): Promise<HttpResponse> {
    const credentials = this.options.credentials;
    try {
      return await this.exchange(method, path, headers, credentials);
    } catch (error) {
      const unreachable = RegistryError.isRegistryError(error) && ['Unreachable', 'Timeout', 'ConnectionReset'].includes(error.reason);
      throw new RegistryApiError(`the registry at ${this.base.origin}: ${(error as Error).message}`, unreachable);
    }
  }

  private exchange(method: 'GET' | 'HEAD' | 'DELETE', path: string, headers: Record<string, string>, credentials: BasicCredentials | undefined): Promise<HttpResponse> {
    return send({
      method,
      url: new URL(path, this.base),
      headers: { ...headers, ...(credentials ? { authorization: basicAuthorization(credentials) } : {}) },
      timeoutMs: this.options.timeoutMs ?? 30_000,
      skipTlsVerify: this.options.insecure,
    });
  }

  private expect(res: HttpResponse, status: number, what: string): void {
    if (res.status === status) return;
    if (res.status === 401) throw new RegistryApiError(`${this.host} refused the credentials for ${what} (401)`);
    throw new RegistryApiError(`${what} on ${this.host} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  }
}

/** The path of a `Link: </v2/_catalog?last=x&n=100>; rel="next"` header. */
function nextPage(link: string | undefined): string | undefined {
  const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  return match ? match[1] : undefined;
}
