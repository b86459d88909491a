import type { ObjectCtx } from './model';

/** Annotations written by tools and the server, never by the user: dropped and counted. */
const TOOL_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'openshift.io/image.dockerRepositoryCheck',
  'deployment.kubernetes.io/revision',
  'openshift.io/host.generated',
  'openshift.io/generated-by',
];

/** The annotations a conversion maps itself (a workload's triggers): not copied. */
const MAPPED_ANNOTATIONS = ['image.openshift.io/triggers'];

/** The object's labels and annotations to carry over, reading both. */
export function takeMetadata(ctx: ObjectCtx): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  ctx.take('metadata.name');
  ctx.take('metadata.namespace');
  const labels = ctx.take<Record<string, string>>('metadata.labels');
  const all = ctx.take<Record<string, string>>('metadata.annotations') ?? {};
  const annotations = Object.fromEntries(Object.entries(all).filter(([k]) => !TOOL_ANNOTATIONS.includes(k) && !MAPPED_ANNOTATIONS.includes(k)));
  return {
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** Statements that add the labels and annotations to `target.metadata` (an ApiObject's). */
export function metadataStatements(ctx: ObjectCtx, target: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> }): string[] {
  const lines: string[] = [];
  for (const [what, method] of [['labels', 'addLabel'], ['annotations', 'addAnnotation']] as const) {
    const map = meta[what];
    if (!map) continue;
    const entries = Object.entries(map);
    if (entries.length === 1) lines.push(`${target}.metadata.${method}(${ctx.str(entries[0][0])}, ${ctx.str(entries[0][1])});`);
    else lines.push(`for (const [key, value] of Object.entries(${ctx.lit(map)})) ${target}.metadata.${method}(key, value);`);
  }
  return lines;
}
