import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

/**
 * Images of random layers pushed straight over the distribution API (no buildah, no download): each
 * layer an uncompressed tar of one file of random bytes, so nothing is shared between images unless
 * asked. For copies of a size that matters (mirror tests, the mirror bench).
 */
export interface RandomImageOptions {
  /** The size of each layer's one file, in bytes. */
  readonly layers: readonly number[];
  readonly credentials?: { readonly username: string; readonly password: string };
  /** @default 'linux/amd64' */
  readonly platform?: { readonly os: string; readonly architecture: string };
  /** https (its certificate is not verified: a test CA). @default false */
  readonly https?: boolean;
}

export interface RandomImage {
  /** The manifest's digest. */
  readonly digest: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  /** Bytes of config and layers. */
  readonly size: number;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** Pushes an image of random layers as `host/repoTag` (`repo:tag`, or `repo` to push by digest only). */
export async function pushRandomImage(host: string, repoTag: string, options: RandomImageOptions): Promise<RandomImage> {
  const [repository, tag] = splitTag(repoTag);
  const api = new Api(host, options);
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const size of options.layers) {
    const tar = tarOfOneFile(`layer-${layers.length}.bin`, randomBytes(size));
    const layer = await api.pushBlob(repository, tar, OCI_LAYER);
    layers.push(layer);
    diffIds.push(layer.digest);
  }
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const configBody = Buffer.from(JSON.stringify({ ...platform, config: {}, rootfs: { type: 'layers', diff_ids: diffIds }, history: diffIds.map(() => ({ created_by: 'random layer' })) }));
  const config = await api.pushBlob(repository, configBody, OCI_CONFIG);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }));
  const digest = await api.putManifest(repository, tag ?? sha256(manifest), manifest, OCI_MANIFEST);
  return { digest, config, layers, size: config.size + layers.reduce((n, l) => n + l.size, 0) };
}

/** Pushes one random image per platform and an OCI index naming them as `host/repoTag`. */
export async function pushRandomIndex(host: string, repoTag: string, options: Omit<RandomImageOptions, 'platform'> & { readonly platforms: ReadonlyArray<{ os: string; architecture: string }> }): Promise<{ digest: string; images: RandomImage[] }> {
  const [repository, tag] = splitTag(repoTag);
  const images: RandomImage[] = [];
  for (const platform of options.platforms) images.push(await pushRandomImage(host, repository, { ...options, platform }));
  const manifests = images.map((image, i) => ({ mediaType: OCI_MANIFEST, digest: image.digest, size: 0, platform: options.platforms[i] }));
  // An index names each manifest with its size: read them back as the registry stores them.
  const api = new Api(host, options);
  for (const m of manifests) m.size = (await api.getManifest(repository, m.digest)).length;
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  const digest = await api.putManifest(repository, tag ?? sha256(body), body, OCI_INDEX);
  return { digest, images };
}

/** A ustar archive of one regular file. */
function tarOfOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

function splitTag(repoTag: string): [string, string | undefined] {
  const colon = repoTag.lastIndexOf(':');
  return colon > repoTag.lastIndexOf('/') ? [repoTag.slice(0, colon), repoTag.slice(colon + 1)] : [repoTag, undefined];
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The few distribution calls a push needs, with basic auth (htpasswd registries). */
class Api {
  private readonly base: string;
  private readonly authorization?: string;

  constructor(host: string, private readonly options: Pick<RandomImageOptions, 'credentials' | 'https'>) {
    this.base = `${options.https ? 'https' : 'http'}://${host}`;
    const c = options.credentials;
    this.authorization = c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  async pushBlob(repository: string, body: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256(body);
    const started = await this.send('POST', `/v2/${repository}/blobs/uploads/`);
    if (started.status !== 202) throw new Error(`POST upload to ${repository}: ${started.status} ${started.body}`);
    const location = new URL(started.headers.location as string, this.base);
    location.searchParams.set('digest', digest);
    const put = await this.send('PUT', location.pathname + location.search, body, { 'content-type': 'application/octet-stream' });
    if (put.status !== 201) throw new Error(`PUT blob to ${repository}: ${put.status} ${put.body}`);
    return { mediaType, digest, size: body.length };
  }

  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const res = await this.send('PUT', `/v2/${repository}/manifests/${reference}`, body, { 'content-type': mediaType });
    if (res.status !== 201) throw new Error(`PUT manifest ${repository}:${reference}: ${res.status} ${res.body}`);
    return res.headers['docker-content-digest'] as string;
  }

  async getManifest(repository: string, digest: string): Promise<Buffer> {
    const res = await this.send('GET', `/v2/${repository}/manifests/${digest}`, undefined, { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` });
    if (res.status !== 200) throw new Error(`GET manifest ${repository}@${digest}: ${res.status}`);
    return res.raw;
  }

  private send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; raw: Buffer }> {
    const url = new URL(path, this.base);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, {
        method, rejectUnauthorized: false,
        headers: { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}), ...(body ? { 'content-length': String(body.length) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), raw: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
