import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../compiler/diagnostics';

/** One object of the input, with the file it came from (for messages and comments). */
export interface InputObject {
  readonly file: string;
  readonly object: KubeLike;
}

/** A Kubernetes-shaped object as people write it: checked field by field where it is read. */
export interface KubeLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

const EXTENSIONS = /\.(ya?ml|json)$/;

/**
 * Reads FILE, every *.yaml, *.yml and *.json under DIR (sorted), or `-` (stdin), as `oc get -o yaml`
 * and `oc export` write them: documents, `List`s (and `*List` kinds) flattened into their items.
 */
export function readInputs(arg: string, cwd: string, stdin: () => string): InputObject[] {
  if (arg === '-') return parseText(stdin(), '<stdin>', '<stdin>');
  const path = resolve(cwd, arg);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw UserError.of(`${arg} does not exist`);
  }
  const files = stat.isDirectory() ? filesUnder(path).map((f) => join(path, f)) : [path];
  if (files.length === 0) throw UserError.of(`${arg} holds no .yaml, .yml or .json file`);
  return files.flatMap((file) => parseText(readFileSync(file, 'utf8'), relative(cwd, file) || file, file));
}

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => EXTENSIONS.test(f) && !f.split('/').some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort();
}

/** `file` names the input in messages and comments; `path` is where it is, for diagnostics. */
function parseText(text: string, file: string, path: string): InputObject[] {
  const objects: InputObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
      throw new UserError([{ text: `not YAML or JSON: ${error.message.split('\n')[0]}`, location: { file: path, line, column } }]);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    objects.push(...flatten(value, file));
  }
  return objects;
}

function flatten(value: unknown, file: string): InputObject[] {
  if (typeof value !== 'object' || Array.isArray(value)) throw UserError.of(`${file}: a document is not an object: expected Kubernetes objects (apiVersion, kind, metadata)`);
  const object = value as Record<string, unknown>;
  if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
    return object.items.flatMap((item) => flatten(item, file));
  }
  if (typeof object.kind === 'string' && (object.kind === 'List' || (object.kind.endsWith('List') && 'items' in object))) {
    const items = object.items;
    const shown = items === undefined || items === null ? String(items) : typeof items === 'object' ? 'an object' : JSON.stringify(items);
    throw UserError.of(`${file}: a ${object.kind}'s 'items' (${shown}) must be a list of objects, e.g. items: [{ apiVersion: v1, kind: ConfigMap, … }]`);
  }
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    throw UserError.of(`${file}: an object has no ${typeof object.apiVersion !== 'string' ? 'apiVersion' : 'kind'}: every object needs apiVersion and kind, as oc get -o yaml writes them`);
  }
  return [{ file, object: object as unknown as KubeLike }];
}
