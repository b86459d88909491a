/** The verbs on objects (create, update, patch, apply, delete) with kube's rules, over the Store. */
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { serverSideApply } from './apply';
import { crdResourceType, CrdSpec, defaultCrd, validateCrd } from './crd';
import { Deletion, DeleteOptions } from './deletion';
import { alreadyExists, badRequest, conflict, failure, invalid, MODIFIED_SINCE, notFound, unsupportedMediaType } from './errors';
import { clone, deepEqual, isObject } from './json';
import { listTypeOf, now, updateManagedFields } from './managed-fields';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { admit, checkIdentity, gr, keepOtherPart, keepServerMetadata, randomSuffix, specChanged, Target } from './prepare';
import { ResourceRegistry } from './registry';
import { Store } from './store';
import { CRD_KEY, Json, KubeObject, ManagedFieldsEntry, NAMESPACE_KEY, ResourceType, apiVersionOf, resourceKey } from './types';

export interface WriteOptions {
  manager: string;
  force?: boolean;
  /** Strict rejects unknown fields of custom resources (400); Warn and Ignore drop them. */
  fieldValidation?: string;
  /** dryRun=All: every check runs, nothing is stored. */
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export class Objects {
  private readonly deletion: Deletion;

  constructor(
    readonly store: Store,
    readonly registry: ResourceRegistry,
  ) {
    this.deletion = new Deletion(store, registry);
  }

  /** The stored object shown under the requested version. */
  view(t: Target, obj: KubeObject): KubeObject {
    return obj.apiVersion === apiVersionOf(t.type.group, t.version) ? obj : { ...obj, apiVersion: apiVersionOf(t.type.group, t.version) };
  }

  get(t: Target): KubeObject {
    const obj = this.store.get(resourceKey(t.type), t.namespace, t.name ?? '');
    if (!obj) throw notFound(gr(t), t.name ?? '');
    return obj;
  }

  /** POST; `fields` replaces the Update entry create would record (apply creating an object). */
  create(t: Target, body: KubeObject, opts: WriteOptions, fields?: ManagedFieldsEntry[]): KubeObject {
    checkIdentity(t, body);
    if (t.part === 'status') throw failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const obj = clone(body);
    obj.apiVersion = apiVersionOf(t.type.group, t.version);
    obj.kind = t.type.kind;
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (!meta.name) throw invalid(t.type.kind, t.type.group, '', [{ field: 'metadata.name', reason: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]);
    if (t.type.namespaced) meta.namespace = t.namespace;
    else delete meta.namespace;
    this.requireNamespace(t);
    if (t.type.hasStatus) delete obj.status;
    Object.assign(meta, { uid: randomUUID(), creationTimestamp: now(), generation: 1 });
    delete meta.deletionTimestamp;
    this.onCreate(t.type, obj);
    admit({ ...t, name: meta.name }, obj, opts.fieldValidation);
    if (this.store.get(resourceKey(t.type), t.namespace, meta.name)) throw alreadyExists(gr(t), meta.name);
    meta.managedFields = fields ?? updateManagedFields(undefined, obj, { type: t.type, version: t.version, manager: opts.manager, part: 'main' });
    return opts.dryRun ? obj : this.commit(t.type, undefined, obj);
  }

  /** PUT: a full replacement, conditional on metadata.resourceVersion when given. */
  update(t: Target, body: KubeObject, opts: WriteOptions): KubeObject {
    checkIdentity(t, body);
    const before = this.get(t);
    if (!body.metadata.resourceVersion && t.type.custom) {
      throw invalid(t.type.kind, t.type.group, t.name ?? '', [{ field: 'metadata.resourceVersion', reason: 'FieldValueInvalid', detail: 'Invalid value: 0x0: must be specified for an update' }]);
    }
    return this.write(t, before, clone(body), opts);
  }

  patch(t: Target, type: PatchType, raw: string, opts: WriteOptions): { object: KubeObject; created: boolean } {
    if (type === 'apply') return this.apply(t, raw, opts);
    if (type === 'strategic' && t.type.custom) throw unsupportedMediaType('application/strategic-merge-patch+json');
    const before = this.get(t);
    const patchBody = parseJson(raw);
    const current = before as unknown as Json;
    let patched: Json;
    if (type === 'json') patched = jsonPatch(current, patchBody);
    else if (type === 'merge') patched = mergePatch(current, patchBody);
    else patched = strategicMergePatch(current, patchBody, [], listTypeOf(t.type, t.version));
    if (!isObject(patched)) throw badRequest('the patched object is not a JSON object');
    const after = patched as unknown as KubeObject;
    if (!isObject(after.metadata)) after.metadata = {};
    checkIdentity(t, after);
    return { object: this.write(t, before, after, opts), created: false };
  }

  private apply(t: Target, raw: string, opts: WriteOptions): { object: KubeObject; created: boolean } {
    if (!opts.manager) throw badRequest('fieldManager is required for apply requests');
    const applied = parseApplied(raw);
    checkIdentity(t, applied);
    if (applied.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    const key = resourceKey(t.type);
    const before = this.store.get(key, t.namespace, t.name ?? '');
    const ctx = { type: t.type, version: t.version, manager: opts.manager, part: t.part };
    if (!before) {
      if (t.part === 'status') throw notFound(gr(t), t.name ?? '');
      const merged = serverSideApply(undefined, applied, ctx, false);
      const fields = merged.metadata.managedFields;
      delete merged.metadata.managedFields;
      return { object: this.create(t, { ...merged, metadata: { ...merged.metadata, name: t.name } }, opts, fields), created: true };
    }
    const rv = applied.metadata.resourceVersion;
    if (rv && rv !== before.metadata.resourceVersion) throw conflict(gr(t), t.name ?? '', MODIFIED_SINCE);
    const after = serverSideApply(before, applied, ctx, opts.force ?? false);
    after.apiVersion = before.apiVersion;
    return { object: this.write(t, before, after, opts, true), created: false };
  }

  /** Shared tail of update, patch and apply. */
  private write(t: Target, before: KubeObject, body: KubeObject, opts: WriteOptions, applied = false): KubeObject {
    const rv = body.metadata.resourceVersion;
    if (rv && rv !== before.metadata.resourceVersion) throw conflict(gr(t), t.name ?? '', MODIFIED_SINCE);
    body.apiVersion = before.apiVersion;
    body.kind = t.type.kind;
    keepServerMetadata(before, body);
    let after = keepOtherPart(t, before, body);
    admit(t, after, opts.fieldValidation);
    if (specChanged(before, after)) after.metadata.generation = (before.metadata.generation ?? 1) + 1;
    if (!applied) {
      const sentFields = body.metadata.managedFields;
      const fields = updateManagedFields(before, after, { type: t.type, version: t.version, manager: opts.manager, part: t.part });
      after.metadata.managedFields = Array.isArray(sentFields) && sentFields.length === 0 ? [] : fields;
    }
    after = this.onUpdate(t.type, after);
    if (unchanged(before, after)) return before;
    return opts.dryRun ? after : this.commit(t.type, before, after);
  }

  private commit(type: ResourceType, before: KubeObject | undefined, after: KubeObject): KubeObject {
    after.metadata.resourceVersion = String(this.store.nextRv());
    if (after.metadata.deletionTimestamp && (after.metadata.finalizers ?? []).length === 0) {
      this.deletion.removeNow(type, after);
      return after;
    }
    this.store.put(resourceKey(type), after, before ? 'MODIFIED' : 'ADDED');
    if (resourceKey(type) === CRD_KEY) this.registerCrd(after);
    return after;
  }

  private requireNamespace(t: Target): void {
    if (!t.type.namespaced) return;
    if (!this.store.get(NAMESPACE_KEY, '', t.namespace)) throw notFound({ group: '', resource: 'namespaces' }, t.namespace);
  }

  /** Built-in defaulting the tools rely on (Namespace Active, Secret Opaque) and CRD checks. */
  private onCreate(type: ResourceType, obj: KubeObject): void {
    const key = resourceKey(type);
    if (key === NAMESPACE_KEY) obj.status = { phase: 'Active' };
    if (key === 'secrets' && !obj.type) obj.type = 'Opaque';
    if (key === CRD_KEY) {
      const spec = obj.spec as CrdSpec;
      const errors = validateCrd(obj.metadata.name ?? '', spec);
      if (errors.length > 0) throw invalid(type.kind, type.group, obj.metadata.name ?? '', errors);
      obj.status = defaultCrd(spec) as unknown as Json;
    }
  }

  private onUpdate(type: ResourceType, obj: KubeObject): KubeObject {
    if (resourceKey(type) !== CRD_KEY) return obj;
    const spec = obj.spec as CrdSpec;
    const errors = validateCrd(obj.metadata.name ?? '', spec);
    if (errors.length > 0) throw invalid(type.kind, type.group, obj.metadata.name ?? '', errors);
    const status = defaultCrd(spec);
    return { ...obj, status: { ...(isObject(obj.status) ? obj.status : {}), acceptedNames: status.acceptedNames, storedVersions: status.storedVersions } as unknown as Json };
  }

  private registerCrd(crd: KubeObject): void {
    this.registry.put(crdResourceType(crd.spec as CrdSpec));
  }

  delete(t: Target, opts: DeleteOptions): KubeObject {
    return this.deletion.delete(t, this.get(t), opts);
  }
}

function withoutVolatile(o: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields, ...meta } = o.metadata;
  return { ...o, metadata: { ...meta, managedFields: (managedFields ?? []).map(({ time: _t, ...rest }) => rest) } };
}

/** kube does not write (nor bump resourceVersion) when an update changes nothing. */
function unchanged(before: KubeObject, after: KubeObject): boolean {
  return deepEqual(withoutVolatile(before), withoutVolatile(after));
}

function parseJson(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

function parseApplied(raw: string): KubeObject {
  let doc: unknown;
  try {
    doc = parseYaml(raw);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw badRequest('error decoding YAML: the applied configuration is not an object');
  const obj = doc as unknown as KubeObject;
  if (!isObject(obj.metadata)) obj.metadata = {};
  if (!obj.apiVersion || !obj.kind) throw badRequest('Object \'Kind\' is missing in \'' + raw.slice(0, 200) + '\'');
  return obj;
}
