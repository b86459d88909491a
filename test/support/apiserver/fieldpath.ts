/**
 * Field sets as server-side apply tracks them: paths of `f:name`, `k:{"key":v}`, `v:value`, `i:n`
 * elements, serialized as the nested `fieldsV1` object (with "." for a node that is itself a member).
 */
import { isObject, deepEqual } from './json';
import { Json, JsonObject, ListType } from './types';

export type Path = string[];
export type FieldSet = Set<string>;
/** List semantics of the field reached by these field names (list items don't add names). */
export type ListTypeOf = (fieldNames: readonly string[]) => ListType;

const key = (p: Path): string => JSON.stringify(p);
export const parsePathKey = (k: string): Path => JSON.parse(k) as Path;

function sortedKeys(item: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) out[k] = item[k];
  return out;
}

export function itemElement(item: Json, lt: ListType, index: number): string {
  if (lt.type === 'map' && isObject(item)) return `k:${JSON.stringify(sortedKeys(item, lt.keys))}`;
  if (lt.type === 'set') return `v:${JSON.stringify(item)}`;
  return `i:${index}`;
}

/** Every leaf, list item and empty map of a value, as kube's ToFieldSet sees it. */
export function toFieldSet(value: Json, listTypeOf: ListTypeOf): FieldSet {
  const set: FieldSet = new Set();
  const walk = (v: Json, path: Path, names: string[]): void => {
    if (isObject(v)) {
      const entries = Object.entries(v);
      if (entries.length === 0 && path.length > 0) set.add(key(path));
      for (const [k, child] of entries) walk(child, [...path, `f:${k}`], [...names, k]);
    } else if (Array.isArray(v)) {
      const lt = listTypeOf(names);
      if (lt.type === 'atomic') return void set.add(key(path));
      v.forEach((item, i) => {
        const itemPath = [...path, itemElement(item, lt, i)];
        set.add(key(itemPath));
        if (lt.type === 'map') walk(item, itemPath, names);
      });
    } else set.add(key(path));
  };
  walk(value, [], []);
  return set;
}

function findItem(list: Json[], element: string): number {
  const body = JSON.parse(element.slice(2)) as Json;
  if (element.startsWith('i:')) return body as number;
  if (element.startsWith('v:')) return list.findIndex((x) => deepEqual(x, body));
  const want = body as JsonObject;
  return list.findIndex((x) => isObject(x) && Object.entries(want).every(([k, v]) => deepEqual(x[k], v)));
}

/** The value at a path, or undefined when absent. */
export function valueAt(root: Json | undefined, path: Path): Json | undefined {
  let node = root;
  for (const el of path) {
    if (node === undefined) return undefined;
    if (el.startsWith('f:')) node = isObject(node) ? node[el.slice(2)] : undefined;
    else node = Array.isArray(node) ? node[findItem(node, el)] : undefined;
  }
  return node;
}

/** Removes the field or list item at a path (no-op when absent). */
export function removeAt(root: Json, path: Path): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const i = findItem(parent, last);
    if (i >= 0) parent.splice(i, 1);
  }
}

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const k of [...set].sort()) {
    let node = root;
    for (const el of parsePathKey(k)) node = (node[el] ??= {}) as JsonObject;
  }
  // A member that also has children carries ".".
  const mark = (node: JsonObject, path: Path): void => {
    for (const [el, child] of Object.entries(node)) {
      if (el === '.') continue;
      const childPath = [...path, el];
      const c = child as JsonObject;
      if (Object.keys(c).length > 0 && set.has(key(childPath))) c['.'] = {};
      mark(c, childPath);
    }
  };
  mark(root, []);
  return root;
}

export function fromFieldsV1(tree: JsonObject): FieldSet {
  const set: FieldSet = new Set();
  const walk = (node: JsonObject, path: Path): void => {
    const children = Object.keys(node).filter((k) => k !== '.');
    if (children.length === 0 || '.' in node) if (path.length > 0) set.add(key(path));
    for (const c of children) walk(node[c] as JsonObject, [...path, c]);
  };
  walk(tree, []);
  return set;
}

/** `.spec.containers[name="app"].image`, the way conflicts are reported. */
export function pathString(path: Path): string {
  return path
    .map((el) => {
      const body = el.slice(2);
      if (el.startsWith('f:')) return `.${body}`;
      if (el.startsWith('i:')) return `[${body}]`;
      if (el.startsWith('v:')) return `[=${body}]`;
      const fields = Object.entries(JSON.parse(body) as JsonObject).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      return `[${fields.join(',')}]`;
    })
    .join('');
}

export { key as pathKey };
