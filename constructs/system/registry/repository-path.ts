import { isPathComponent } from '../../../lib/api/image-reference';
import { isDnsLabel } from '../../../lib/api/names';

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
