/** What the server does to every written object: identity checks, schema, generation, status rules. */
import { randomBytes } from 'node:crypto';
import { badRequest, invalid } from './errors';
import { clone, deepEqual, isObject } from './json';
import { Part } from './managed-fields';
import { validateObjectMeta } from './meta-validation';
import { applyDefaults, prune, validate } from './schema';
import { JsonObject, KubeObject, ResourceType, apiVersionOf } from './types';

/** Where a request points: one resource, version, namespace ('' when cluster-scoped) and maybe name. */
export interface Target {
  type: ResourceType;
  version: string;
  namespace: string;
  name?: string;
  part: Part;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName's 5 random characters, from kube's alphabet (no vowels, no look-alikes). */
export function randomSuffix(): string {
  return [...randomBytes(5)].map((b) => NAME_CHARS[b % NAME_CHARS.length]).join('');
}

export function gr(t: Target): { group: string; resource: string } {
  return { group: t.type.group, resource: t.type.plural };
}

/** Checks apiVersion/kind/namespace/name of a request body against the URL. */
export function checkIdentity(t: Target, body: KubeObject): void {
  if (!isObject(body) || !isObject(body.metadata)) throw badRequest('Object \'metadata\' is missing or not an object');
  const want = apiVersionOf(t.type.group, t.version);
  if (body.kind !== undefined && body.kind !== t.type.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${t.type.kind})`);
  if (body.apiVersion !== undefined && body.apiVersion !== want) throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`);
  const ns = body.metadata.namespace;
  if (t.type.namespaced && ns !== undefined && ns !== '' && ns !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (t.name !== undefined && body.metadata.name !== undefined && body.metadata.name !== t.name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`);
}

/** The part of an object that counts for `generation`: spec, or all but metadata/status. */
function generationPart(o: KubeObject): unknown {
  if ('spec' in o) return o.spec;
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

export function specChanged(before: KubeObject, after: KubeObject): boolean {
  return !deepEqual(generationPart(before), generationPart(after));
}

/**
 * What every write goes through before storage: for custom resources with a schema, prune
 * unknown fields (an error with fieldValidation=Strict, as kube's strict decoding) and apply
 * defaults; then validate metadata and schema together (one 422 listing every cause).
 */
export function admit(t: Target, obj: KubeObject, fieldValidation?: string): void {
  const schema = t.type.schemas[t.version];
  const body = obj as unknown as JsonObject;
  if (schema) {
    const dropped = prune(body, schema, true);
    if (dropped.length > 0 && fieldValidation === 'Strict') {
      const kind = t.type.kind;
      throw badRequest(`${kind} in version "${t.version}" cannot be handled as a ${kind}: strict decoding error: ${dropped.map((f) => `unknown field "${f}"`).join(', ')}`);
    }
    applyDefaults(body, schema);
  }
  const errors = [...validateObjectMeta(t.type, obj.metadata), ...(schema ? validate(body, schema) : [])];
  if (errors.length > 0) throw invalid(t.type.kind, t.type.group, obj.metadata.name ?? '', errors);
}

/**
 * Merges a write's result with the stored object according to the part written:
 * the main resource keeps the old status (when there is a status subresource);
 * /status keeps everything but status.
 */
export function keepOtherPart(t: Target, before: KubeObject | undefined, after: KubeObject): KubeObject {
  if (t.part === 'status') {
    const base = clone(before as KubeObject);
    if (after.status === undefined) delete base.status;
    else base.status = after.status;
    base.metadata.managedFields = after.metadata.managedFields;
    base.metadata.resourceVersion = after.metadata.resourceVersion;
    return base;
  }
  if (!t.type.hasStatus) return after;
  const out = { ...after };
  if (before?.status !== undefined) out.status = before.status;
  else delete out.status;
  return out;
}

/** Fields only the server sets survive any write. */
export function keepServerMetadata(before: KubeObject, after: KubeObject): void {
  const m = after.metadata;
  m.uid = before.metadata.uid;
  m.creationTimestamp = before.metadata.creationTimestamp;
  m.generation = before.metadata.generation;
  m.name = before.metadata.name;
  if (before.metadata.namespace !== undefined) m.namespace = before.metadata.namespace;
  if (before.metadata.deletionTimestamp) {
    m.deletionTimestamp = before.metadata.deletionTimestamp;
    m.deletionGracePeriodSeconds = before.metadata.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  if (m.generateName === undefined && before.metadata.generateName !== undefined) m.generateName = before.metadata.generateName;
}
