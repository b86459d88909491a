import { isTagName } from './names';

/**
 * A normalised image reference, e.g. `eclipse-temurin:8-jdk` is
 * { registry: 'docker.io', repository: 'library/eclipse-temurin', tag: '8-jdk' }.
 * @see https://github.com/distribution/distribution/blob/main/reference/reference.go (the grammar)
 */
export interface ImageReference {
  /** Registry host with optional port, as users write it: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly registry: string;
  /** Repository path inside the registry: `library/eclipse-temurin`. */
  readonly repository: string;
  /** @default - `latest` when there is no digest either */
  readonly tag?: string;
  /** `algorithm:hex`; when present the reference is pinned and the tag is informational. */
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Docker Hub serves the distribution API from a different host than its name. */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])`;
const DOMAIN_RE = new RegExp(`^${HOST}(?::([0-9]{1,5}))?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The algorithms we can verify, with their hex length (OCI image-spec: lowercase hex only). */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/** Why a reference is not one; `reason` is the condition reason the runtime reports. */
export class InvalidReferenceError extends Error {
  readonly reason = 'InvalidReference';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReferenceError';
  }
}

/** Parses and normalises an image reference; throws an InvalidReferenceError. */
export function parseReference(input: string): ImageReference {
  const fail = (why: string): never => {
    throw new InvalidReferenceError(`invalid image reference "${input}": ${why}`);
  };
  if (input.length === 0) fail('it is empty');
  const [nameAndTag, digest, extra] = input.split('@');
  if (extra !== undefined) fail("more than one '@'");
  if (digest !== undefined) {
    const why = digestProblem(digest);
    if (why) fail(why);
  }
  const { name, tag } = splitTag(nameAndTag);
  if (tag !== undefined && !isTagName(tag)) fail(`tag "${tag}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  const { registry, repository } = splitDomain(name, fail);
  if (repository.length > MAX_NAME_LENGTH) fail(`repository name is longer than ${MAX_NAME_LENGTH} characters`);
  return { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), ...(digest ? { digest } : {}) };
}

/** `docker.io/library/eclipse-temurin`: the part before `:tag` or `@digest`. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The canonical string form: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag !== undefined ? `:${ref.tag}` : '';
  const digest = ref.digest !== undefined ? `@${ref.digest}` : '';
  return `${repositoryOf(ref)}${tag}${digest}`;
}

/** One path component of a repository name: `[a-z0-9]+` joined by '.', '_', '__' or '-'. */
export const isPathComponent = (component: string): boolean => PATH_COMPONENT_RE.test(component);

/** A registry as references name it: a DNS name or a bracketed IPv6 address, and an optional port (1-65535). */
export function isRegistryHost(host: string): boolean {
  const m = DOMAIN_RE.exec(host);
  const port = m?.[1] === undefined ? undefined : Number(m[1]);
  return !!m && (port === undefined || (port >= 1 && port <= 65535));
}

/** The host (and port) that serves the distribution API for a registry name. */
export function registryApiHost(registry: string): string {
  return DOCKER_HUB_ALIASES.has(registry) ? DOCKER_HUB_API_HOST : registry;
}

/** Maps every spelling of Docker Hub to `docker.io`; other hosts are returned unchanged. */
export function canonicalRegistry(host: string): string {
  return DOCKER_HUB_ALIASES.has(host.toLowerCase()) ? DOCKER_HUB : host;
}

/** True for a well-formed digest of an algorithm we can verify (sha256, sha512). */
export function isValidDigest(value: string): boolean {
  return digestProblem(value) === undefined;
}

function digestProblem(digest: string): string | undefined {
  if (!DIGEST_RE.test(digest)) return `digest "${digest}" must look like sha256:<64 hex digits>`;
  const [algorithm, hex] = digest.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `digest algorithm "${algorithm}" is not supported (use sha256 or sha512)`;
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    return `digest "${digest}" must have ${length} lowercase hex digits`;
  }
  return undefined;
}

/** The tag is after the last ':' that comes after the last '/' (a ':' before it is a port). */
function splitTag(nameAndTag: string): { name: string; tag?: string } {
  const colon = nameAndTag.lastIndexOf(':');
  if (colon <= nameAndTag.lastIndexOf('/')) return { name: nameAndTag };
  return { name: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1) };
}

/** Docker's rule: the first component is a registry only if it has a '.' or ':' or is `localhost`. */
function splitDomain(name: string, fail: (why: string) => never): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
  let registry = hasDomain ? first : DOCKER_HUB;
  let repository = hasDomain ? name.slice(slash + 1) : name;
  if (hasDomain && !DOMAIN_RE.test(registry)) fail(`registry host "${registry}" is not a valid host[:port]`);
  registry = canonicalRegistry(registry);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  for (const component of repository.split('/')) {
    if (isPathComponent(component)) continue;
    if (component.toLowerCase() !== component) fail('repository name must be lowercase');
    fail(`path component "${component}" must match [a-z0-9]+ separated by '.', '_', '__' or '-'`);
  }
  return { registry, repository };
}
