/**
 * Server-side apply: merge an applied configuration into the live object, with conflicts
 * against other managers, forced takeover, and removal of fields the applier stopped setting.
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
import { failure, StatusError } from './errors';
import { FieldSet, ListTypeOf, Path, itemElement, parsePathKey, pathString, removeAt, valueAt } from './fieldpath';
import { clone, deepEqual, isObject } from './json';
import { UpdateContext, entrySet, fieldSetOf, listTypeOf, newEntry, withSet } from './managed-fields';
import { Json, JsonObject, KubeObject, ManagedFieldsEntry } from './types';

/** Merges `applied` over `live`: maps by key, associative lists by their keys, the rest replaced. */
export function mergeApplied(live: Json | undefined, applied: Json, names: string[], lt: ListTypeOf): Json {
  if (isObject(applied) && isObject(live)) {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v, [...names, k], lt);
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const type = lt(names);
    if (type.type === 'atomic') return applied;
    const out = [...live];
    for (const item of applied) {
      const el = itemElement(item, type, 0);
      const i = out.findIndex((x) => itemElement(x, type, 0) === el);
      if (i < 0) out.push(item);
      else out[i] = type.type === 'map' ? mergeApplied(out[i], item, names, lt) : item;
    }
    return out;
  }
  return applied;
}

interface Conflict {
  entry: ManagedFieldsEntry;
  path: Path;
}

function isItem(path: Path): boolean {
  return !path[path.length - 1].startsWith('f:');
}

function changedBetween(live: Json, merged: Json, path: Path): boolean {
  const before = valueAt(live, path);
  if (isItem(path)) return before === undefined;
  return !deepEqual(before, valueAt(merged, path));
}

function printManager(e: ManagedFieldsEntry): string {
  return e.operation === 'Update' ? `"${e.manager}" using ${e.apiVersion}` : `"${e.manager}"`;
}

/** 409 exactly as kube words it (one conflict inline, several grouped by manager). */
export function conflictError(conflicts: Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.entry)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].entry)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(printManager(c.entry), [...(byManager.get(printManager(c.entry)) ?? []), pathString(c.path)]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...(byManager.get(m) ?? []).map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return failure(409, 'Conflict', message, { causes });
}

function isApplier(e: ManagedFieldsEntry, ctx: UpdateContext): boolean {
  return e.manager === ctx.manager && e.operation === 'Apply' && (e.subresource ?? '') === (ctx.part === 'status' ? 'status' : '');
}

/**
 * Applies `applied` to `live` (undefined when creating) for one manager; throws a 409 on
 * conflicts unless forced. Returns the new object with its managedFields.
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, ctx: UpdateContext, force: boolean): KubeObject {
  const base: KubeObject = live ? clone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  const lt = listTypeOf(ctx.type, ctx.version);
  const appliedSet = fieldSetOf(applied, ctx.type, ctx.version, ctx.part);
  const tracked = (o: KubeObject): JsonObject => (ctx.part === 'status' ? { status: (o.status ?? {}) as Json } : (o as unknown as JsonObject));
  const merged = mergeApplied(tracked(base), tracked(applied), [], lt) as JsonObject;
  const entries = base.metadata.managedFields ?? [];
  const conflicts: Conflict[] = [];
  const others = entries.filter((e) => !isApplier(e, ctx)).map((e) => ({ entry: e, set: entrySet(e) }));
  for (const o of others) {
    for (const k of appliedSet) {
      if (o.set.has(k) && changedBetween(tracked(base) as Json, merged, parsePathKey(k))) conflicts.push({ entry: o.entry, path: parsePathKey(k) });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const c of conflicts) others.find((o) => o.entry === c.entry)?.set.delete(JSON.stringify(c.path));
  const previous = entries.find((e) => isApplier(e, ctx));
  removeDropped(merged, previous ? entrySet(previous) : new Set(), appliedSet, others.map((o) => o.set));
  const result = (ctx.part === 'status' ? { ...base, status: merged.status } : merged) as unknown as KubeObject;
  result.metadata = { ...(isObject(merged.metadata) ? (merged.metadata as object) : {}), ...pickServerMeta(base) };
  if (ctx.part === 'status') result.metadata = base.metadata;
  const kept = others.filter((o) => o.set.size > 0).map((o) => withSet(o.entry, o.set));
  result.metadata.managedFields = [...kept, newEntry(ctx, 'Apply', appliedSet)];
  return result;
}

function pickServerMeta(o: KubeObject): Partial<KubeObject['metadata']> {
  const { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp } = o.metadata;
  return Object.fromEntries(Object.entries({ name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp }).filter(([, v]) => v !== undefined));
}

/** Fields the applier owned before but no longer sets, and nobody else owns, are removed. */
function removeDropped(obj: JsonObject, before: FieldSet, now: FieldSet, othersSets: FieldSet[]): void {
  const dropped = [...before].filter((k) => !now.has(k) && !othersSets.some((s) => s.has(k)));
  dropped.sort((a, b) => b.length - a.length);
  for (const k of dropped) removeAt(obj, parsePathKey(k));
}
