/*
 * A hand-written Kubernetes client. @kubernetes/client-node would do, but even its smallest bundle is
 * about 1 MB, more than the 600 KiB that the whole in-cluster runtime may weigh, and we use only a
 * small part of it: generic CRUD, patches, server-side apply, status, list and watch. So this client
 * speaks the REST API directly over node:http/node:https and knows no types beyond KubeObject.
 */
import type { KubeClientConfig } from './config';
import { createTransport, type HttpRequest, type HttpTransport } from './http';
import { collectionPath, objectPath, withQuery, type ResourceRef } from './resources';
import type { JsonPatchOp, KubeList, KubeObject } from './types';
import { watchResource, type WatchHandler, type WatchOptions } from './watch';

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface ListOptions extends RequestOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size; the answer's metadata.continue fetches the next page. */
  readonly limit?: number;
  readonly continue?: string;
}

export interface ListAllOptions<T extends KubeObject = KubeObject> extends RequestOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** @default 500 */
  readonly pageSize?: number;
  /** Applied to each item as its page arrives, so that only what it returns is kept across pages (an informer's transform). */
  map?(item: T): T;
}

export interface WriteOptions extends RequestOptions {
  readonly fieldManager?: string;
}

export interface ApplyOptions extends RequestOptions {
  readonly fieldManager: string;
  /** Take over fields that other managers own instead of failing with 409. @default false */
  readonly force?: boolean;
}

export interface DeleteOptions extends RequestOptions {
  /** @default - the resource's default (Background for most) */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this exact object (not a newer one of the same name). */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** The operations on one resource (and namespace); see ResourceRef for how the namespace scopes them. */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  readonly ref: ResourceRef;
  get(name: string, options?: RequestOptions): Promise<T>;
  list(options?: ListOptions): Promise<KubeList<T>>;
  /** Every page, following continue tokens; resourceVersion is the one to watch from. */
  listAll(options?: ListAllOptions<T>): Promise<{ items: T[]; resourceVersion: string }>;
  create(object: T, options?: WriteOptions): Promise<T>;
  /** PUT: fails with ConflictError when object.metadata.resourceVersion is stale. */
  update(object: T, options?: WriteOptions): Promise<T>;
  delete(name: string, options?: DeleteOptions): Promise<void>;
  mergePatch(name: string, patch: object, options?: WriteOptions): Promise<T>;
  jsonPatch(name: string, ops: readonly JsonPatchOp[], options?: WriteOptions): Promise<T>;
  /** Server-side apply. */
  apply(object: T, options: ApplyOptions): Promise<T>;
  getStatus(name: string, options?: RequestOptions): Promise<T>;
  updateStatus(object: T, options?: WriteOptions): Promise<T>;
  mergePatchStatus(name: string, patch: object, options?: WriteOptions): Promise<T>;
  jsonPatchStatus(name: string, ops: readonly JsonPatchOp[], options?: WriteOptions): Promise<T>;
  /** See watchResource: resolves when options.signal aborts, rejects with GoneError on 410. */
  watch(options: WatchOptions, onEvent: WatchHandler<T>): Promise<void>;
}

export interface KubeClient {
  /** The namespace of the config (context or service account). */
  readonly namespace: string;
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T>;
  /** Closes idle keep-alive connections so that the process can exit. */
  close(): void;
}

export function createClient(config: KubeClientConfig): KubeClient {
  const transport = createTransport(config);
  return {
    namespace: config.namespace,
    resource: <T extends KubeObject>(ref: ResourceRef) => resourceClient<T>(transport, ref),
    close: () => transport.close(),
  };
}

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml'; // JSON is YAML, so the body stays JSON

function resourceClient<T extends KubeObject>(transport: HttpTransport, ref: ResourceRef): ResourceClient<T> {
  const send = <R>(request: HttpRequest) => transport.json<R>(request);
  const at = (name: string, subresource?: 'status') => objectPath(ref, name, subresource);
  const of = (object: T, subresource?: 'status') => objectPath(refOf(ref, object), nameOf(object), subresource);
  const write = (options?: WriteOptions) => ({ fieldManager: options?.fieldManager });
  const patch = (path: string, body: unknown, contentType: string, options?: WriteOptions) =>
    send<T>({ method: 'PATCH', path: withQuery(path, write(options)), body, contentType, signal: options?.signal });

  // Methods are async so that a bad name or path rejects instead of throwing.
  const client: ResourceClient<T> = {
    ref,
    get: async (name, options) => send<T>({ method: 'GET', path: at(name), signal: options?.signal }),
    async list(options = {}) {
      const { labelSelector, fieldSelector, limit } = options;
      const path = withQuery(collectionPath(ref), { labelSelector, fieldSelector, limit, continue: options.continue });
      return withItemKinds(await send<KubeList<T>>({ method: 'GET', path, signal: options.signal }));
    },
    async listAll(options = {}) {
      const items: T[] = [];
      let page: KubeList<T> | undefined;
      const { map, pageSize, ...query } = options;
      do {
        page = await client.list({ ...query, limit: pageSize ?? 500, continue: page?.metadata.continue });
        for (const item of page.items) items.push(map ? map(item) : item);
      } while (page.metadata.continue);
      return { items, resourceVersion: page.metadata.resourceVersion ?? '' };
    },
    create: async (object, options) =>
      send<T>({ method: 'POST', path: withQuery(collectionPath(refOf(ref, object)), write(options)), body: object, signal: options?.signal }),
    update: async (object, options) => send<T>({ method: 'PUT', path: withQuery(of(object), write(options)), body: object, signal: options?.signal }),
    async delete(name, options = {}) {
      const { propagationPolicy, preconditions } = options;
      const body = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy, preconditions };
      await send<unknown>({ method: 'DELETE', path: at(name), body, signal: options.signal });
    },
    mergePatch: async (name, body, options) => patch(at(name), body, MERGE_PATCH, options),
    jsonPatch: async (name, ops, options) => patch(at(name), ops, JSON_PATCH, options),
    apply: async (object, options) =>
      send<T>({
        method: 'PATCH',
        path: withQuery(of(object), { fieldManager: options.fieldManager, force: options.force }),
        body: object,
        contentType: APPLY_PATCH,
        signal: options.signal,
      }),
    getStatus: async (name, options) => send<T>({ method: 'GET', path: at(name, 'status'), signal: options?.signal }),
    updateStatus: async (object, options) =>
      send<T>({ method: 'PUT', path: withQuery(of(object, 'status'), write(options)), body: object, signal: options?.signal }),
    mergePatchStatus: async (name, body, options) => patch(at(name, 'status'), body, MERGE_PATCH, options),
    jsonPatchStatus: async (name, ops, options) => patch(at(name, 'status'), ops, JSON_PATCH, options),
    watch: async (options, onEvent) => watchResource(transport, ref, options, onEvent),
  };
  return client;
}

/** Writes go to the object's own namespace when the client was made without one. */
function refOf(ref: ResourceRef, object: KubeObject): ResourceRef {
  return ref.namespace || !object.metadata?.namespace ? ref : { ...ref, namespace: object.metadata.namespace };
}

function nameOf(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error(`${object.kind ?? 'object'} has no 'metadata.name'`);
  return name;
}

/** Items of a list come without apiVersion and kind; fill them in so they look like single GETs. */
function withItemKinds<T extends KubeObject>(list: KubeList<T>): KubeList<T> {
  const kind = list.kind?.replace(/List$/, '');
  for (const item of list.items ?? []) {
    item.apiVersion ??= list.apiVersion;
    item.kind ??= kind;
  }
  return list;
}
