/**
 * PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the strategic merge
 * patch kubectl sends for built-ins (associative lists merged by key, `$patch` directives).
 */
import { badRequest, failure, StatusError } from './errors';
import { itemElement, ListTypeOf } from './fieldpath';
import { clone, deepEqual, isObject } from './json';
import { Json, JsonObject } from './types';

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function invalidPatch(message: string): StatusError {
  return failure(422, 'Invalid', message);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalidPatch(`invalid JSON pointer: "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, segs: string[], path: string): Json {
  let node: Json | undefined = doc;
  for (const s of segs.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[s] : undefined;
    if (node === undefined) throw invalidPatch(`doc is missing path: "${path}": missing value`);
  }
  return node;
}

function get(doc: Json, path: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const s of pointer(path)) node = Array.isArray(node) ? node[Number(s)] : isObject(node) ? node[s] : undefined;
  return node;
}

function add(doc: Json, path: string, value: Json, replace: boolean): Json {
  const segs = pointer(path);
  if (segs.length === 0) return value;
  const parent = parentOf(doc, segs, path);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length || (replace && i >= parent.length)) throw invalidPatch(`unable to ${replace ? 'replace' : 'add'} at index ${last}: index out of range`);
    parent.splice(i, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) throw invalidPatch(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = value;
  } else throw invalidPatch(`doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const segs = pointer(path);
  const parent = parentOf(doc, segs, path);
  const last = segs[segs.length - 1];
  if (Array.isArray(parent) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw invalidPatch(`unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

function applyOne(doc: Json, o: Operation): Json {
  switch (o.op) {
    case 'add':
      return add(doc, o.path, clone(o.value as Json), false);
    case 'replace':
      return add(doc, o.path, clone(o.value as Json), true);
    case 'remove':
      return remove(doc, o.path);
    case 'test':
      if (!deepEqual(get(doc, o.path), o.value)) throw invalidPatch(`testing value ${o.path} failed: test failed`);
      return doc;
    case 'copy':
    case 'move': {
      const value = get(doc, o.from ?? '');
      if (value === undefined) throw invalidPatch(`unable to get "${o.from}": missing value`);
      const next = o.op === 'move' ? remove(doc, o.from ?? '') : doc;
      return add(next, o.path, clone(value), false);
    }
    default:
      throw invalidPatch(`Unexpected kind: ${o.op}`);
  }
}

/** RFC 6902, all-or-nothing (works on a copy). */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest('invalid JSON patch operation');
    doc = applyOne(doc, raw as unknown as Operation);
  }
  return doc;
}

const ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';

/** Strategic merge patch over built-ins: like a merge patch, but lists with merge keys merge by key. */
export function strategicMergePatch(target: Json | undefined, patch: Json, names: string[], lt: ListTypeOf): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return {};
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(ORDER_PREFIX) || k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      const field = k.slice(DELETE_PRIMITIVE_PREFIX.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(v)) out[field] = current.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(out[k], v, [...names, k], lt);
    else out[k] = strategicMergePatch(out[k], v, [...names, k], lt);
  }
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], names: string[], lt: ListTypeOf): Json {
  const type = lt(names);
  if (type.type === 'atomic' || !Array.isArray(target)) return stripDirectives(patch.filter((x) => !(isObject(x) && x.$patch === 'delete')));
  const out = [...target];
  for (const item of patch) {
    if (type.type === 'set') {
      if (!out.some((x) => deepEqual(x, item))) out.push(item);
      continue;
    }
    const el = itemElement(item, type, 0);
    const i = out.findIndex((x) => itemElement(x, type, 0) === el);
    if (isObject(item) && item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i < 0) out.push(stripDirectives(item));
    else out[i] = strategicMergePatch(out[i], item, names, lt);
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, stripDirectives(x)]));
}
