import { DEFAULT_HISTORY_LIMIT, DEFAULT_IMPORT_INTERVAL_SECONDS, type ImageStreamObject, type NamedTagEventList, type TagSpec } from '../../api/imagestream';
import { shortDuration } from '../../api/duration';
import { mirrorsOnImport } from '../../api/mirror';
import { fromRepositoryImport, repositoryTagSource } from '../../api/repository-import';
import { age } from '../age';

/**
 * `imagestreams describe is/NAME`, like `oc describe is`: the stream's settings, then each tag —
 * where it comes from and how it is imported, its history newest first (`*` the current image), and
 * its conditions. Tags only in status (left by a deleted spec tag) are shown too. Pure.
 */
export function describeStream(stream: ImageStreamObject & { metadata: { creationTimestamp?: string } }, now: number): string {
  const { metadata, spec, status } = stream;
  const lines = [
    `Name:\t\t\t${metadata.name}`,
    `Namespace:\t\t${metadata.namespace ?? ''}`,
    `Created:\t\t${age(metadata.creationTimestamp, now)} ago`,
    ...(spec.imageRepository ? [`Image Repository:\t${spec.imageRepository}`] : []),
    ...(spec.publicImageRepository && spec.publicImageRepository !== spec.imageRepository ? [`Pull Repository:\t${spec.publicImageRepository}`] : []),
    ...(spec.dockerImageRepository ? [`Docker Repository:\t${spec.dockerImageRepository}${repositoryImported(stream, now)}`] : []),
    `Lookup Policy:\t\t${spec.lookupPolicy?.local ? 'local' : 'none'}`,
    `History Limit:\t\t${spec.historyLimit ?? DEFAULT_HISTORY_LIMIT}`,
    ...(spec.pullSecrets?.length ? [`Pull Secrets:\t\t${spec.pullSecrets.map((s) => s.name).join(', ')}`] : []),
    ...(spec.grants?.length ? [`Grants:\t\t\t${spec.grants.map((g) => `${g.namespace} (${g.access})`).join(', ')}`] : []),
  ];
  const specs = spec.tags ?? [];
  const statuses = new Map((status?.tags ?? []).map((t) => [t.tag, t]));
  const names = [...specs.map((t) => t.name), ...[...statuses.keys()].filter((t) => !specs.some((s) => s.name === t))];
  lines.push(`Tags:\t\t\t${names.length}`);
  for (const name of names) {
    const tagSpec = specs.find((t) => t.name === name);
    const line = !tagSpec && fromRepositoryImport(stream, name) ? `imported from ${repositoryTagSource(spec.dockerImageRepository!, name)} (spec.dockerImageRepository)` : undefined;
    lines.push('', ...describeTag(name, tagSpec, statuses.get(name), now, spec.imageRepository, line));
  }
  return `${lines.join('\n')}\n`;
}

function describeTag(name: string, spec: TagSpec | undefined, status: NamedTagEventList | undefined, now: number, repository: string | undefined, from?: string): string[] {
  const lines = [name, `  ${from ?? source(spec, repository)}`, ...annotationLines(spec?.annotations)];
  const items = status?.items ?? [];
  if (items.length > 0) lines.push('');
  items.forEach((item, i) => {
    const picked = item.indexDigest ? ` (${item.platform ?? 'a platform'} of manifest list ${item.indexDigest})` : '';
    lines.push(`  ${i === 0 ? '*' : ' '} ${item.dockerImageReference}${picked}`, `      ${age(item.created, now)} ago`);
  });
  if (items.length === 0 && !spec?.reference) lines.push('  no image yet');
  if (status?.lastImportAttempt) lines.push(`  Last import:\t${age(status.lastImportAttempt, now)} ago`);
  for (const c of status?.conditions ?? []) {
    lines.push(`  ${c.type}:\t${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}${c.lastTransitionTime ? ` (since ${age(c.lastTransitionTime, now)} ago)` : ''}`);
  }
  return lines;
}

/** ` (N tags imported 5m ago)`, or why the last import of the repository failed. */
function repositoryImported(stream: ImageStreamObject, now: number): string {
  const last = stream.status?.repositoryImport;
  if (!last || last.repository !== stream.spec.dockerImageRepository) return ' (not imported yet)';
  if (last.status === 'False') return ` (import failed ${age(last.lastImportAttempt, now)} ago: ${last.reason}: ${last.message})`;
  return ` (${last.tags?.length ?? 0} tags imported ${age(last.lastImportAttempt, now)} ago)`;
}

/**
 * The tag annotations `oc describe is` shows, as it shows them: the description, then its tags,
 * what it supports and its example repository (OpenShift's sample streams carry these).
 */
function annotationLines(annotations: Readonly<Record<string, string>> | undefined): string[] {
  if (!annotations) return [];
  const list = (value: string) => value.split(',').join(', ');
  const lines = [
    ...(annotations.description ? [`  ${annotations.description}`] : []),
    ...(annotations.tags ? [`  Tags: ${list(annotations.tags)}`] : []),
    ...(annotations.supports ? [`  Supports: ${list(annotations.supports)}`] : []),
    ...(annotations.sampleRepo ? [`  Example Repo: ${annotations.sampleRepo}`] : []),
  ];
  return lines.length > 0 ? ['', ...lines] : [];
}

/** Where the tag's images come from, and how it is imported (and, for a Local tag, where each is copied). */
function source(spec: TagSpec | undefined, repository: string | undefined): string {
  if (!spec) return 'not in the spec (deleted): history only';
  const from = spec.from;
  if (!from) return 'pushed by builds';
  if (from.kind === 'ImageStreamTag') return `follows ${from.namespace ? `${from.namespace}/` : ''}${from.name} (alias)`;
  if (from.kind === 'ImageStreamImage') return `tagged from ${from.namespace ? `${from.namespace}/` : ''}${from.name} (an image of that stream's history)`;
  if (spec.reference) return `references ${from.name} (never imported)`;
  const policy = spec.importPolicy ?? {};
  const how = [
    policy.paused ? 'paused (rolled back)' : policy.scheduled ? `imported every ${shortDuration(policy.intervalSeconds ?? DEFAULT_IMPORT_INTERVAL_SECONDS)}` : from.name.includes('@') ? 'pinned' : 'imported once',
    ...(policy.importMode === 'PreserveOriginal' ? ['manifest list kept'] : policy.preferredPlatform ? [`platform ${policy.preferredPlatform}`] : []),
    ...(policy.insecure ? ['insecure'] : []),
    ...(mirrorsOnImport(spec) ? [repository ? `copied into ${repository}` : 'copied into no registry: imports fail'] : []),
  ];
  return `tagged from ${from.name} (${how.join(', ')})`;
}
