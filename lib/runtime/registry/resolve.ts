import { RepositoryClient } from './client';
import { RegistryError } from './errors';
import { header, HttpResponse } from './http';
import {
  checkManifest,
  digestOf,
  formatPlatform,
  indexEntries,
  isIndex,
  isManifestType,
  MANIFEST_ACCEPT,
  Platform,
  selectPlatform,
} from './manifest';
import { clientSettings, DEFAULTS, type RecordedImage, ResolveOptions } from './options';
import { formatReference, ImageReference, isValidDigest, parseReference, repositoryOf } from '../../api/image-reference';

/** What a reference points at now. */
export interface ResolvedImage {
  /** The normalised reference that was resolved. */
  readonly reference: ImageReference;
  /** The digest to record: the platform's manifest in Legacy mode, else what the tag points at. */
  readonly digest: string;
  /** The manifest's media type, when the registry said it (unknown for a platform taken from a recorded pick). */
  readonly mediaType?: string;
  /** `docker.io/library/eclipse-temurin@sha256:…` */
  readonly dockerImageReference: string;
  /** Set when Legacy mode picked one platform's manifest out of a manifest list. */
  readonly platform?: PlatformSelection;
  /**
   * How the digest was checked: `recorded` — HEAD named what the tag recorded last, no GET; `digest` —
   * fetched by digest, hashed and parsed; `tag` — fetched by tag, hashed and parsed (HEAD named no
   * digest, or named one of the tag's older items and was confirmed).
   */
  readonly verified: 'recorded' | 'digest' | 'tag';
}

export interface PlatformSelection extends Platform {
  /** The manifest list the tag points at. */
  readonly indexDigest: string;
  readonly indexMediaType?: string;
  /** The platform asked for, `os/arch[/variant]`: what a recorded pick is compared with (the entry may name a variant that wasn't asked). */
  readonly requested: string;
}

/** A manifest fetched and verified: its digest is the hash of these bytes, its type one of the four. */
interface FetchedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Buffer;
}

/** One resolution's fixed inputs. */
interface Resolution {
  readonly client: RepositoryClient;
  readonly ref: ImageReference;
  /** `registry/repository:tag`, for messages. */
  readonly image: string;
  readonly recorded: readonly RecordedImage[];
  /** Legacy mode and a reference by tag: a manifest list is narrowed to one platform. */
  readonly picksPlatform: boolean;
  readonly platform: Platform;
}

/**
 * Resolves a reference to a digest with HEAD, and verifies every digest before returning it unless it
 * is the one the tag recorded last (`options.recorded[0]`): a new digest is fetched once by digest and
 * checked (sha256 of the body, a manifest or index media type, a body that parses); a digest of an
 * older item — moving the tag back — is fetched by tag, so that the registry's current answer confirms
 * it. Unchanged tags cost one HEAD, changed tags one HEAD and one GET. A manifest list in Legacy mode
 * is fetched only when its digest is not the one the newest item was picked from.
 */
export async function resolveImage(reference: string | ImageReference, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const ref = typeof reference === 'string' ? parseForRegistry(reference) : reference;
  const r: Resolution = {
    client: new RepositoryClient(ref, clientSettings(ref, options)),
    ref,
    image: formatReference(ref),
    recorded: options.recorded ?? [],
    picksPlatform: (options.importMode ?? DEFAULTS.importMode) === 'Legacy' && ref.digest === undefined,
    platform: options.platform ?? DEFAULTS.platform,
  };
  const head = await headManifest(r);
  if (head.digest === undefined) {
    // No digest: the bytes served for what was asked are the only word on it.
    return finish(r, await fetchManifest(r, ref.digest ?? (ref.tag ?? 'latest'), ref.digest), ref.digest ? 'digest' : 'tag');
  }
  if (ref.digest !== undefined && head.digest !== ref.digest) throw mismatch(`${r.image} is served with digest ${head.digest}`);
  const [newest, ...older] = r.recorded;
  const list = r.picksPlatform && (isIndex(head.mediaType) || (head.mediaType === undefined && r.recorded.some((i) => i.indexDigest === head.digest)));
  if (list && newest?.indexDigest === head.digest && newest.platform === formatPlatform(r.platform)) return recordedPick(r, newest, head);
  if (!list && newest?.digest === head.digest && newest.indexDigest === undefined) return result(ref, head.digest, head.mediaType, 'recorded');
  const movesBack = ref.digest === undefined && older.some((i) => (list ? i.indexDigest === head.digest : i.digest === head.digest && i.indexDigest === undefined));
  const fetched = await fetchManifest(r, movesBack ? (ref.tag ?? 'latest') : head.digest, head.digest, movesBack);
  return finish(r, fetched, movesBack ? 'tag' : 'digest');
}

/** HEAD: the digest and the type the registry claims; a type that is not a manifest's counts as unsaid (the GET will tell). */
async function headManifest(r: Resolution): Promise<{ digest?: string; mediaType?: string }> {
  const response = await r.client.request('HEAD', `manifests/${r.ref.digest ?? r.ref.tag}`, { accept: MANIFEST_ACCEPT });
  expectFound(response, r.ref);
  const digest = header(response, 'docker-content-digest');
  const mediaType = contentType(response);
  return { digest: digest && isValidDigest(digest) ? digest : undefined, mediaType: isManifestType(mediaType) ? mediaType : undefined };
}

/**
 * GETs `manifests/<path>` and verifies it: a manifest media type, the sha256 of the exact bytes equal to
 * `expected` (and to the registry's own Docker-Content-Digest), a body that parses as a manifest.
 * `confirming`: the GET by tag that must confirm a HEAD digest which would move the tag back.
 */
async function fetchManifest(r: Resolution, path: string, expected: string | undefined, confirming = false): Promise<FetchedManifest> {
  const response = await r.client.request('GET', `manifests/${path}`, { accept: MANIFEST_ACCEPT });
  if (response.status === 404 && expected !== undefined && path === expected && r.ref.digest === undefined) {
    throw mismatch(`HEAD named ${expected} for ${r.image}, but the registry has no manifest ${expected}`);
  }
  expectFound(response, r.ref);
  const type = contentType(response);
  if (type !== undefined && !isManifestType(type)) throw invalid(`${r.image}: the registry answered with ${type}, not a manifest`);
  const claimed = header(response, 'docker-content-digest');
  const digest = digestOf(response.body, expected ?? claimed);
  if (confirming && digest !== expected) {
    throw mismatch(`HEAD says ${r.image} is ${expected}, an image it pointed at before, but the manifest served for the tag now hashes to ${digest} (a stale cache or a proxy between here and the registry?): the tag stays where it is`);
  }
  for (const said of [expected, claimed]) {
    if (said !== undefined && said !== digest) throw mismatch(`the manifest of ${r.image} hashes to ${digest}, but the registry says ${said}`);
  }
  try {
    return { digest, mediaType: checkManifest(response.body, type), body: response.body };
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    throw invalid(`${r.image}: ${error.message}`);
  }
}

/** A fetched manifest as the result: a list in Legacy mode is narrowed to the platform's manifest. */
function finish(r: Resolution, fetched: FetchedManifest, verified: ResolvedImage['verified']): ResolvedImage {
  if (r.picksPlatform && isIndex(fetched.mediaType)) return pickPlatform(r, fetched, verified);
  return result(r.ref, fetched.digest, fetched.mediaType, verified);
}

function pickPlatform(r: Resolution, index: FetchedManifest, verified: ResolvedImage['verified']): ResolvedImage {
  const entries = indexEntries(index.body);
  const entry = selectPlatform(entries, r.platform);
  if (!entry || !isValidDigest(entry.digest)) {
    const available = entries.map((e) => formatPlatform(e.platform)).join(', ');
    throw new RegistryError('PlatformNotFound', `${r.image} has no ${formatPlatform(r.platform)} image (it has ${available || 'none'})`);
  }
  const platform = { ...r.platform, ...entry.platform, indexDigest: index.digest, indexMediaType: index.mediaType, requested: formatPlatform(r.platform) };
  return { ...result(r.ref, entry.digest, entry.mediaType, verified), platform };
}

/** The list is the one the newest item was picked from, for the same platform: that pick still holds. */
function recordedPick(r: Resolution, newest: RecordedImage, head: { digest?: string; mediaType?: string }): ResolvedImage {
  const platform = { ...r.platform, indexDigest: head.digest!, ...(head.mediaType ? { indexMediaType: head.mediaType } : {}), requested: formatPlatform(r.platform) };
  return { ...result(r.ref, newest.digest, undefined, 'recorded'), platform };
}

function result(ref: ImageReference, digest: string, mediaType: string | undefined, verified: ResolvedImage['verified']): ResolvedImage {
  return { reference: ref, digest, ...(mediaType ? { mediaType } : {}), dockerImageReference: `${repositoryOf(ref)}@${digest}`, verified };
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

function invalid(message: string): RegistryError {
  return new RegistryError('InvalidResponse', message);
}

/** The reference, or a RegistryError (reason InvalidReference) that callers report like any other. */
function parseForRegistry(reference: string): ImageReference {
  try {
    return parseReference(reference);
  } catch (error) {
    throw new RegistryError('InvalidReference', (error as Error).message);
  }
}
