/**
 * OpenShift's deprecated `spec.dockerImageRepository`: the tags of that repository are imported into
 * the stream, besides those its spec names. OpenShift's import controller does this when the stream is
 * created (and again when a client clears its `openshift.io/image.dockerRepositoryCheck` annotation):
 * it lists the repository's tags, orders them (latest, then minor versions newest first, then full
 * versions newest first, then the rest by name), imports the first 50 (its default
 * maxImagesBulkImportedPerRepository) and leaves spec tags of the same name to their own source.
 *
 * Here the same, bounded the same, at creation and at each change of the spec (or `imagestreams
 * import-image`), with one difference: OpenShift also writes a spec tag for each; this project keeps
 * the spec as its owner wrote it (Git), so the repository's tags live in status only
 * (status.repositoryImport lists them). The one copy of the rule, for the importer, the controller
 * and the CLI.
 */
import type { ImageStreamObject, RepositoryImportStatus } from './imagestream';
import { tagVersion } from './tag-policy';

export type { RepositoryImportStatus };

/** Tags imported from the repository at most: OpenShift's default. */
export const MAX_REPOSITORY_TAGS = 50;
/** The stream annotation OpenShift reads for a repository served over plain http or unverified https. */
export const INSECURE_REPOSITORY_ANNOTATION = 'openshift.io/image.insecureRepository';

/** Whether the controller should import the stream's repository now: set, and not yet imported at this generation. */
export function repositoryImportDue(stream: ImageStreamObject): boolean {
  const repository = stream.spec.dockerImageRepository;
  if (!repository) return false;
  const last = stream.status?.repositoryImport;
  return last?.repository !== repository || (last.generation ?? 0) < (stream.metadata.generation ?? 0);
}

/** The repository's tags to import: ordered as OpenShift orders them, without those the spec defines, at most MAX_REPOSITORY_TAGS. */
export function repositoryTagsToImport(stream: ImageStreamObject, listed: readonly string[]): string[] {
  const spec = new Set((stream.spec.tags ?? []).map((t) => t.name));
  return prioritizeTags(listed.filter((t) => !spec.has(t))).slice(0, MAX_REPOSITORY_TAGS);
}

/** The source a repository tag is imported from: `repository:tag`. */
export function repositoryTagSource(repository: string, tag: string): string {
  return `${repository}:${tag}`;
}

/** Whether a status tag of the stream comes from its repository's import (kept although no spec tag names it). */
export function fromRepositoryImport(stream: ImageStreamObject, tag: string): boolean {
  const last = stream.status?.repositoryImport;
  return !!stream.spec.dockerImageRepository && last?.repository === stream.spec.dockerImageRepository && (last.tags ?? []).includes(tag);
}

/**
 * Tags in the order OpenShift imports a repository's: `latest`; then tags naming a minor version
 * (`5.1`, `v5.1`, `5.1-rc1`), newest first; then full versions (`5.1.3`), newest first; then the
 * rest by name. Ties between versions go by name.
 */
export function prioritizeTags(tags: readonly string[]): string[] {
  const keyed = tags.map((tag) => ({ tag, ...rank(tag) }));
  keyed.sort((a, b) => a.group - b.group || (a.version && b.version ? b.version.compare(a.version) : 0) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return keyed.map((k) => k.tag);
}

const MINOR = /^v?\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const FULL = /^v?\d+\.\d+\.\d+/;

function rank(tag: string): { group: number; version?: ReturnType<typeof tagVersion> } {
  if (tag === 'latest') return { group: 0 };
  const version = tagVersion(tag);
  if (version && MINOR.test(tag)) return { group: 1, version };
  if (version && FULL.test(tag)) return { group: 2, version };
  return { group: 3 };
}
