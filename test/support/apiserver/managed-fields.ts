/** Field ownership bookkeeping shared by updates (operation Update) and server-side apply. */
import { FieldSet, ListTypeOf, fromFieldsV1, parsePathKey, toFieldSet, toFieldsV1, valueAt } from './fieldpath';
import { deepEqual, isObject } from './json';
import { listTypeFor } from './list-types';
import { Json, JsonObject, KubeObject, ManagedFieldsEntry, ResourceType } from './types';

/** metadata fields the server owns; they never appear in managedFields. */
const SERVER_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName'];

export type Part = 'main' | 'status';

export function listTypeOf(type: ResourceType, version: string): ListTypeOf {
  const schema = type.schemas[version];
  return (names) => listTypeFor(schema, names);
}

/** The part of an object whose fields a write to `part` is tracked for. */
export function trackedPart(obj: KubeObject | JsonObject, type: ResourceType, part: Part): JsonObject {
  if (part === 'status') return isObject(obj.status) ? { status: obj.status } : {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (k === 'status' && type.hasStatus)) continue;
    if (k === 'metadata' && isObject(v)) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !SERVER_METADATA.includes(mk)));
      if (Object.keys(meta).length > 0) out.metadata = meta as JsonObject;
    } else out[k] = v as Json;
  }
  return out;
}

export function fieldSetOf(obj: KubeObject | JsonObject, type: ResourceType, version: string, part: Part): FieldSet {
  return toFieldSet(trackedPart(obj, type, part), listTypeOf(type, version));
}

/** Leaves/items whose value is new or different in `after`, and those that disappeared. */
export function diffSets(before: JsonObject, after: JsonObject, beforeSet: FieldSet, afterSet: FieldSet): { changed: FieldSet; removed: FieldSet } {
  const changed: FieldSet = new Set();
  for (const k of afterSet) {
    const path = parsePathKey(k);
    const isItem = !path[path.length - 1].startsWith('f:');
    if (!beforeSet.has(k) || (!isItem && !deepEqual(valueAt(before, path), valueAt(after, path)))) changed.add(k);
  }
  const removed: FieldSet = new Set([...beforeSet].filter((k) => !afterSet.has(k)));
  return { changed, removed };
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function entrySet(e: ManagedFieldsEntry): FieldSet {
  return fromFieldsV1(e.fieldsV1 ?? {});
}

export function withSet(e: ManagedFieldsEntry, set: FieldSet): ManagedFieldsEntry {
  return { ...e, fieldsV1: toFieldsV1(set) };
}

export interface UpdateContext {
  type: ResourceType;
  version: string;
  manager: string;
  part: Part;
}

function sameEntry(e: ManagedFieldsEntry, manager: string, op: string, part: Part): boolean {
  return e.manager === manager && e.operation === op && (e.subresource ?? '') === (part === 'status' ? 'status' : '');
}

/** managedFields after a non-apply write: the writer takes what it changed, others lose it. */
export function updateManagedFields(before: KubeObject | undefined, after: KubeObject, ctx: UpdateContext): ManagedFieldsEntry[] {
  const beforeTracked = before ? trackedPart(before, ctx.type, ctx.part) : {};
  const afterTracked = trackedPart(after, ctx.type, ctx.part);
  const lt = listTypeOf(ctx.type, ctx.version);
  const { changed, removed } = diffSets(beforeTracked, afterTracked, toFieldSet(beforeTracked, lt), toFieldSet(afterTracked, lt));
  const entries = before?.metadata.managedFields ?? [];
  const out: ManagedFieldsEntry[] = [];
  let mine: FieldSet = new Set();
  for (const e of entries) {
    const set = entrySet(e);
    if (sameEntry(e, ctx.manager, 'Update', ctx.part)) {
      mine = set;
      continue;
    }
    for (const k of [...changed, ...removed]) set.delete(k);
    if (set.size > 0) out.push(withSet(e, set));
  }
  for (const k of changed) mine.add(k);
  for (const k of removed) mine.delete(k);
  if (changed.size === 0 && mine.size > 0) {
    const old = entries.find((e) => sameEntry(e, ctx.manager, 'Update', ctx.part));
    if (old) out.push(old);
  } else if (mine.size > 0) out.push(newEntry(ctx, 'Update', mine));
  return out;
}

export function newEntry(ctx: UpdateContext, operation: 'Apply' | 'Update', set: FieldSet): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = {
    manager: ctx.manager,
    operation,
    apiVersion: ctx.type.group ? `${ctx.type.group}/${ctx.version}` : ctx.version,
    time: now(),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(set),
  };
  if (ctx.part === 'status') e.subresource = 'status';
  return e;
}

/** The manager name kube derives from a User-Agent when ?fieldManager is not given. */
export function managerFromUserAgent(ua: string | undefined): string {
  const name = (ua ?? 'unknown').split('/')[0].trim();
  return name.slice(0, 128) || 'unknown';
}
