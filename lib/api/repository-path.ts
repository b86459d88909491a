import { isPathComponent } from './image-reference';
import { isDnsLabel } from './names';

/** distribution's limit on a whole repository name, host included. */
const MAX_REPOSITORY_LENGTH = 255;

/** `[prefix/]namespace/stream`: one repository per stream, namespaced like OpenShift's internal registry. */
export function repositoryPath(namespace: string, stream: string, pathPrefix?: string): string {
  if (!isDnsLabel(namespace)) {
    throw new Error(`repositoryFor: 'namespace' (${namespace}) must be a Namespace name: lowercase letters, digits and '-', at most 63 characters`);
  }
  if (!isPathComponent(stream)) {
    throw new Error(`repositoryFor: 'stream' (${stream}) must be an ImageStream name that is also a repository path component: lowercase letters and digits joined by '.', '_', '__' or '-'`);
  }
  return [pathPrefix, namespace, stream].filter((part) => part !== undefined).join('/');
}

export function repositoryAt(host: string, path: string): string {
  const repository = `${host}/${path}`;
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    throw new Error(`repositoryFor: '${repository}' is longer than the ${MAX_REPOSITORY_LENGTH} characters a repository name may have: shorten the stream, namespace or 'pathPrefix'`);
  }
  return repository;
}

/**
 * The registry behind streams, as the System hands it to the controller (`--stream-registry`, JSON):
 * where a stream without `spec.imageRepository` (one applied as OpenShift YAML) keeps its images,
 * and the Secrets builds push and pull them with in each namespace.
 */
export interface StreamRegistryDefaults {
  /** host[:port] builds push to (reached from pods). */
  readonly pushHost: string;
  /** host[:port] nodes pull from. */
  readonly pullHost: string;
  readonly pathPrefix?: string;
  /** Plain http, or https without verification. */
  readonly insecure: boolean;
  /** The dockerconfigjson Secret builds push with, by name, in each namespace. */
  readonly pushSecret?: string;
  /** The dockerconfigjson Secret bases are pulled with, by name, in each namespace. */
  readonly pullSecret?: string;
}

/** Where the images of `namespace`/`stream` are pushed and pulled, by the System's registry. */
export function defaultStreamRepository(defaults: StreamRegistryDefaults, namespace: string, stream: string): { readonly push: string; readonly pull: string } {
  const path = repositoryPath(namespace, stream, defaults.pathPrefix);
  return { push: repositoryAt(defaults.pushHost, path), pull: repositoryAt(defaults.pullHost, path) };
}

/** The `--stream-registry` value, checked: undefined and a reason when it is not one. */
export function parseStreamRegistryDefaults(json: string): StreamRegistryDefaults | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return `--stream-registry must be JSON, not ${JSON.stringify(json)}`;
  }
  const v = value as Partial<Record<keyof StreamRegistryDefaults, unknown>>;
  const text = (x: unknown) => typeof x === 'string' && x !== '';
  if (typeof value !== 'object' || value === null || !text(v.pushHost) || !text(v.pullHost) || typeof v.insecure !== 'boolean') {
    return '--stream-registry must be {"pushHost": "...", "pullHost": "...", "insecure": false, "pathPrefix"?, "pushSecret"?, "pullSecret"?}';
  }
  for (const key of ['pathPrefix', 'pushSecret', 'pullSecret'] as const) if (v[key] !== undefined && !text(v[key])) return `--stream-registry: '${key}' must be a non-empty string`;
  return value as StreamRegistryDefaults;
}
