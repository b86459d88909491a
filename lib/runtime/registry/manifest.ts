import type { Platform } from '../../api/platform';
import { createHash } from 'node:crypto';
import { RegistryError } from './errors';

export const MediaTypes = {
  OCI_INDEX: 'application/vnd.oci.image.index.v1+json',
  DOCKER_MANIFEST_LIST: 'application/vnd.docker.distribution.manifest.list.v2+json',
  OCI_MANIFEST: 'application/vnd.oci.image.manifest.v1+json',
  DOCKER_MANIFEST: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Sent on every manifest request; without it registries down-convert or refuse lists. */
export const MANIFEST_ACCEPT = [
  MediaTypes.OCI_INDEX,
  MediaTypes.DOCKER_MANIFEST_LIST,
  MediaTypes.OCI_MANIFEST,
  MediaTypes.DOCKER_MANIFEST,
].join(', ');

/** An image's platform as manifest lists describe it. */
export type { Platform } from '../../api/platform';

export interface IndexEntry {
  readonly mediaType: string;
  readonly digest: string;
  readonly platform?: Platform;
}

/** The four types a tag may point at; anything else (an HTML page, a schema 1 manifest) is not recorded. */
export function isManifestType(mediaType: string | undefined): boolean {
  return (Object.values(MediaTypes) as (string | undefined)[]).includes(mediaType);
}

export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.OCI_INDEX || mediaType === MediaTypes.DOCKER_MANIFEST_LIST;
}

/** `sha256:<hex>` of exactly these bytes, with the algorithm of `like` (sha256 or sha512). */
export function digestOf(bytes: Buffer, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** The `mediaType` field of a manifest body, for registries that send no Content-Type. */
export function bodyMediaType(body: Buffer): string | undefined {
  const parsed = parseJson(body, 'manifest') as { mediaType?: unknown };
  return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
}

/**
 * The media type of a manifest body served with `contentType`, once the body has been checked to be
 * one: a JSON object of schemaVersion 2, of one of the four manifest types (Content-Type, else the
 * body's own mediaType; the two agree when both are given), with `manifests` (an index) or `config`
 * and `layers` (an image). Throws an InvalidResponse RegistryError saying what is wrong.
 */
export function checkManifest(body: Buffer, contentType: string | undefined): string {
  if (contentType !== undefined && !isManifestType(contentType)) {
    throw new RegistryError('InvalidResponse', `the registry answered with ${contentType}, not a manifest`);
  }
  const parsed = parseJson(body, 'manifest') as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  const own = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  if (own !== undefined && contentType !== undefined && own !== contentType) {
    throw new RegistryError('InvalidResponse', `the manifest says it is ${own}, but was served as ${contentType}`);
  }
  const mediaType = contentType ?? own;
  if (parsed.schemaVersion !== 2 || mediaType === undefined || !isManifestType(mediaType)) {
    throw new RegistryError('InvalidResponse', `the manifest is not an OCI or Docker schema 2 manifest (schemaVersion ${JSON.stringify(parsed.schemaVersion)}, mediaType ${mediaType ?? 'none'})`);
  }
  const complete = isIndex(mediaType)
    ? Array.isArray(parsed.manifests)
    : typeof parsed.config === 'object' && parsed.config !== null && Array.isArray(parsed.layers);
  if (!complete) throw new RegistryError('InvalidResponse', `the ${isIndex(mediaType) ? 'manifest list has no "manifests" array' : 'manifest has no "config" and "layers"'}`);
  return mediaType;
}

/** The entries of an OCI index or Docker manifest list. */
export function indexEntries(body: Buffer): IndexEntry[] {
  const parsed = parseJson(body, 'manifest list') as { manifests?: unknown };
  if (!Array.isArray(parsed.manifests)) {
    throw new RegistryError('InvalidResponse', 'the manifest list has no "manifests" array');
  }
  return parsed.manifests as IndexEntry[];
}

/** First entry for the platform; a variant is compared only when one is asked for. */
export function selectPlatform(entries: readonly IndexEntry[], wanted: Platform): IndexEntry | undefined {
  return entries.find(
    (e) =>
      e.platform?.os === wanted.os &&
      e.platform.architecture === wanted.architecture &&
      (wanted.variant === undefined || e.platform.variant === wanted.variant),
  );
}

export function formatPlatform(platform: Platform | undefined): string {
  if (!platform) return 'unknown';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

function parseJson(body: Buffer, what: string): object {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // reported below
  }
  throw new RegistryError('InvalidResponse', `the ${what} is not a JSON object`);
}
