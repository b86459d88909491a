import { INSECURE_REPOSITORY_ANNOTATION, repositoryTagSource, repositoryTagsToImport, type RepositoryImportStatus } from '../../api/repository-import';
import type { ImageStreamObject } from '../../api/imagestream';
import type { TagImportResult } from '../imagestreams/results';
import type { DockerConfig } from '../registry/auth';
import { RegistryError } from '../registry/errors';
import type { ResolveOptions } from '../registry/options';
import { listTags } from '../registry/tags';
import { MAX_LISTED_TAGS } from './policy-tags';
import { resolveTags } from './resolve-tags';
import type { ImportableTag } from './select-tags';

export interface RepositoryImport {
  /** One per tag chosen, as any tag's import result (verified, unchanged ones cost no GET). */
  readonly results: readonly TagImportResult[];
  /** What status.repositoryImport records, but for the time and generation the write adds. */
  readonly outcome: Omit<RepositoryImportStatus, 'lastImportAttempt' | 'generation'>;
}

/**
 * Imports the tags of the stream's spec.dockerImageRepository (see lib/api/repository-import.ts):
 * lists them with the stream's pull secrets, chooses the first as OpenShift does, and resolves each
 * as a tag `from` `repository:tag` would be, over plain http or unverified https when the stream
 * carries OpenShift's insecureRepository annotation. A registry that refuses the listing fails the
 * repository import (its outcome), never the stream's other tags.
 */
export async function importRepository(stream: ImageStreamObject, options: { dockerConfig?: DockerConfig; registry?: ResolveOptions; concurrency?: number }): Promise<RepositoryImport> {
  const repository = stream.spec.dockerImageRepository!;
  const insecure = (stream.metadata.annotations as Record<string, string> | undefined)?.[INSECURE_REPOSITORY_ANNOTATION] === 'true';
  const shared: ResolveOptions = { ...options.registry, ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}), ...(insecure ? { insecure } : {}) };
  let listed: string[];
  try {
    listed = await listTags(repository, { ...shared, pageSize: 1000, max: MAX_LISTED_TAGS });
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    return { results: [], outcome: { repository, status: 'False', reason: error.reason, message: error.message } };
  }
  const names = repositoryTagsToImport(stream, listed);
  const tags: ImportableTag[] = names.map((name) => ({ name, from: { kind: 'DockerImage', name: repositoryTagSource(repository, name) }, ...(insecure ? { importPolicy: { insecure } } : {}) }));
  const results = await resolveTags(tags, { concurrency: options.concurrency, dockerConfig: options.dockerConfig, registry: shared, status: stream.status?.tags });
  const failed = results.filter((r) => !r.ok).length;
  const inSpec = listed.filter((t) => (stream.spec.tags ?? []).some((s) => s.name === t)).length;
  const beyond = listed.length - inSpec - names.length;
  const notes = [
    ...(inSpec ? [`${inSpec} left to spec.tags`] : []),
    ...(beyond ? [`${beyond} beyond the first ${names.length}`] : []),
    ...(failed ? [`${failed} failed (see their conditions)`] : []),
  ];
  const message = `imported ${names.length - failed} of the ${listed.length} tags of ${repository}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  return { results, outcome: { repository, status: 'True', reason: 'Imported', message, tags: names } };
}
