import { RepositoryClient } from './client';
import { RegistryError } from './errors';
import { header, HttpResponse } from './http';
import {
  bodyMediaType,
  digestOf,
  formatPlatform,
  indexEntries,
  isIndex,
  MANIFEST_ACCEPT,
  Platform,
  selectPlatform,
} from './manifest';
import { clientSettings, DEFAULTS, ResolveOptions } from './options';
import { formatReference, ImageReference, isValidDigest, parseReference, repositoryOf } from '../../api/image-reference';

/** What a reference points at now. */
export interface ResolvedImage {
  /** The normalised reference that was resolved. */
  readonly reference: ImageReference;
  /** The digest to record: the platform's manifest in Legacy mode, else what the tag points at. */
  readonly digest: string;
  readonly mediaType: string;
  /** `docker.io/library/eclipse-temurin@sha256:…` */
  readonly dockerImageReference: string;
  /** Set when Legacy mode picked one platform's manifest out of a manifest list. */
  readonly platform?: PlatformSelection;
}

export interface PlatformSelection extends Platform {
  /** The manifest list the tag points at. */
  readonly indexDigest: string;
  readonly indexMediaType: string;
}

/** A manifest as far as we know it: digest and type from HEAD, the body only when we had to GET it. */
interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body?: Buffer;
}

const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/**
 * Resolves a reference to a digest with HEAD; GETs the manifest only when the registry sends no
 * Docker-Content-Digest, or when Legacy mode must choose a platform out of a manifest list.
 */
export async function resolveImage(reference: string | ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const ref = typeof reference === 'string' ? parseForRegistry(reference) : reference;
  const client = new RepositoryClient(ref, clientSettings(ref, options));
  const manifest = await findManifest(client, ref);
  if (ref.digest !== undefined && manifest.digest !== ref.digest) {
    throw mismatch(`${formatReference(ref)} is served with digest ${manifest.digest}`);
  }
  const legacy = (options.importMode ?? DEFAULTS.importMode) === 'Legacy';
  if (ref.digest === undefined && isIndex(manifest.mediaType) && legacy) {
    return pickPlatform(client, ref, manifest, options.platform ?? DEFAULTS.platform);
  }
  return result(ref, manifest.digest, manifest.mediaType);
}

/** HEAD, and GET only when HEAD left the digest or the media type unknown. */
async function findManifest(client: RepositoryClient, ref: ImageReference): Promise<Manifest> {
  const { digest, mediaType } = await headManifest(client, ref);
  if (digest !== undefined && mediaType !== undefined) return { digest, mediaType };
  return getManifest(client, ref, digest ?? ref.digest);
}

async function headManifest(client: RepositoryClient, ref: ImageReference): Promise<{ digest?: string; mediaType?: string }> {
  const response = await client.request('HEAD', `manifests/${ref.digest ?? ref.tag}`, { accept: MANIFEST_ACCEPT });
  expectFound(response, ref);
  const digest = header(response, 'docker-content-digest');
  return { digest: digest && isValidDigest(digest) ? digest : undefined, mediaType: contentType(response) };
}

/** GET a manifest; its digest is the hash of the exact bytes, which must match what the registry claims. */
async function getManifest(client: RepositoryClient, ref: ImageReference, expected?: string): Promise<Manifest> {
  const response = await client.request('GET', `manifests/${expected ?? ref.tag}`, { accept: MANIFEST_ACCEPT });
  expectFound(response, ref);
  const claimed = header(response, 'docker-content-digest') ?? expected;
  const digest = digestOf(response.body, claimed);
  if (claimed !== undefined && claimed !== digest) {
    throw mismatch(`the manifest of ${formatReference(ref)} hashes to ${digest}, but the registry says ${claimed}`);
  }
  const mediaType = contentType(response) ?? bodyMediaType(response.body) ?? UNKNOWN_MEDIA_TYPE;
  return { digest, mediaType, body: response.body };
}

async function pickPlatform(client: RepositoryClient, ref: ImageReference, index: Manifest, wanted: Platform): Promise<ResolvedImage> {
  const { body } = index.body ? index : await getManifest(client, ref, index.digest);
  const entries = indexEntries(body ?? Buffer.alloc(0));
  const entry = selectPlatform(entries, wanted);
  if (!entry || !isValidDigest(entry.digest)) {
    const available = entries.map((e) => formatPlatform(e.platform)).join(', ');
    throw new RegistryError(
      'PlatformNotFound',
      `${formatReference(ref)} has no ${formatPlatform(wanted)} image (it has ${available || 'none'})`,
    );
  }
  const platform = { ...wanted, ...entry.platform, indexDigest: index.digest, indexMediaType: index.mediaType };
  return { ...result(ref, entry.digest, entry.mediaType ?? UNKNOWN_MEDIA_TYPE), platform };
}

function result(ref: ImageReference, digest: string, mediaType: string): ResolvedImage {
  return { reference: ref, digest, mediaType, dockerImageReference: `${repositoryOf(ref)}@${digest}` };
}

function contentType(response: HttpResponse): string | undefined {
  return header(response, 'content-type')?.split(';')[0].trim() || undefined;
}

/** 401 never gets here (the client throws it after trying to authenticate). */
function expectFound(response: HttpResponse, ref: ImageReference): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const image = formatReference(ref);
  if (status === 404) throw new RegistryError('NotFound', `${image} not found: ${errorCode(response) ?? 'manifest unknown'}`, 404);
  if (status === 403) throw new RegistryError('Forbidden', `access to ${image} is forbidden (403)`, 403);
  throw new RegistryError('InvalidResponse', `the registry answered ${status} for ${image}`, status);
}

/** `manifest unknown` from a distribution error body `{errors: [{code: 'MANIFEST_UNKNOWN', …}]}`. */
function errorCode(response: HttpResponse): string | undefined {
  try {
    const code = (JSON.parse(response.body.toString('utf8')) as { errors?: Array<{ code?: unknown }> }).errors?.[0]?.code;
    return typeof code === 'string' ? code.toLowerCase().replace(/_/g, ' ') : undefined;
  } catch {
    return undefined;
  }
}

function mismatch(message: string): RegistryError {
  return new RegistryError('DigestMismatch', message);
}

/** The reference, or a RegistryError (reason InvalidReference) that callers report like any other. */
function parseForRegistry(reference: string): ImageReference {
  try {
    return parseReference(reference);
  } catch (error) {
    throw new RegistryError('InvalidReference', (error as Error).message);
  }
}
