import { createHash } from 'node:crypto';
import { canonicalRegistry, isPathComponent, isRegistryHost, isValidDigest } from '../../../api/image-reference';
import { isTagName } from '../../../api/names';

/** What one push notification says: a repository and maybe a tag moved. Never a digest to record. */
export interface PushEvent {
  /** Who the sender says this event is (its id), or a hash of what identifies the push: replays repeat it. */
  readonly id: string;
  /** When the sender says it happened, ms since the epoch; undefined when the format carries no time. */
  readonly at?: number;
  /** The registry the event names, canonical (`docker.io` for Docker Hub); undefined when it names none. */
  readonly host?: string;
  /** The repository path, `team/app`. */
  readonly repository: string;
  /** The tag pushed; undefined when the event names none (every tag of the repository may have moved). */
  readonly tag?: string;
  /**
   * The digest the sender says the tag now has. Never recorded: only a hint of when the registry has
   * caught up (distribution notifies before it links the tag), so the import is tried again until HEAD
   * says it, a few times at most.
   */
  readonly digest?: string;
}

/** The payload is not one of its sender's, or not one we can read. The message never quotes the body. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Reads a delivery's body into events to act on (an empty list: nothing to do, e.g. a pull or a ping). */
export type PayloadParser = (body: string, headers: Headers) => PushEvent[];

type Json = unknown;

/** The body as JSON, without echoing it in the error (V8's messages quote the text). */
export function parseJson(body: string, sender: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch {
    throw new PayloadError(`the body is not JSON, as ${sender} sends`);
  }
}

export const isObject = (x: Json): x is Record<string, Json> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `path` (dot-separated) in `root`, when every step is an object. */
export function at(root: Json, path: string): Json {
  let value = root;
  for (const key of path.split('.')) {
    if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

export function mustBeString(root: Json, path: string, sender: string): string {
  const value = at(root, path);
  if (typeof value !== 'string' || value.length === 0) throw new PayloadError(`${sender} payload has no string '${path}'`);
  return value;
}

export function optionalString(root: Json, path: string): string | undefined {
  const value = at(root, path);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function mustBeObject(root: Json, path: string, sender: string): Record<string, Json> {
  const value = at(root, path);
  if (!isObject(value)) throw new PayloadError(`${sender} payload has no object '${path}'`);
  return value;
}

/** Seconds since the epoch (a number, or digits) as ms; undefined when absent or not a time. */
export function epochSeconds(value: Json): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}(\.\d+)?$/.test(value) ? Number(value) : NaN;
  // Beyond year 5000 is no push time (and n * 1000 may overflow to Infinity).
  return Number.isFinite(n) && n > 0 && n < 1e11 ? Math.round(n * 1000) : undefined;
}

/** An RFC 3339 time as ms; undefined when absent or not a time. */
export function rfc3339(value: Json): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A repository path as references spell it (lower-case components), or a PayloadError. */
export function repositoryPath(value: string, sender: string): string {
  const path = value.toLowerCase();
  if (path.length > 255 || !path.split('/').every(isPathComponent)) throw new PayloadError(`${sender} payload names no valid repository`);
  return path;
}

/** A tag, or a PayloadError. */
export function tagName(value: string, sender: string): string {
  if (!isTagName(value)) throw new PayloadError(`${sender} payload names no valid tag`);
  return value;
}

/** A registry host (with port), canonical, or a PayloadError. */
export function registryHost(value: string, sender: string): string {
  if (!isRegistryHost(value)) throw new PayloadError(`${sender} payload names no valid registry host`);
  return canonicalRegistry(value.toLowerCase());
}

/** Splits `host/path/to/repo[:tag]` into its registry and repository (no tag or digest kept). */
export function splitImageUrl(value: string, sender: string): { host: string; repository: string } {
  const withoutScheme = value.replace(/^[a-z]+:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  if (slash <= 0) throw new PayloadError(`${sender} payload names no registry host in its image URL`);
  const host = registryHost(withoutScheme.slice(0, slash), sender);
  let repository = withoutScheme.slice(slash + 1).split('@')[0];
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) repository = repository.slice(0, colon);
  return { host, repository: repositoryPath(repository, sender) };
}

/** A stable id for a format without delivery ids: what identifies the push, hashed. */
export function identity(...parts: readonly (string | number | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => String(p ?? '')).join('\u0000')).digest('hex').slice(0, 32);
}

/** One header's value (node joins only a few into arrays). */
export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A digest the sender names, when it is a well-formed one; else nothing (it is only a hint). */
export function digestHint(value: unknown): string | undefined {
  return typeof value === 'string' && isValidDigest(value) ? value : undefined;
}
