/** HTTP verbs on resource URLs, mapped to Objects / Lister / Watches. */
import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, failure, methodNotAllowed, StatusError, success, unsupportedMediaType } from './errors';
import { isObject } from './json';
import { Lister } from './list';
import { managerFromUserAgent } from './managed-fields';
import { Objects, PatchType, WriteOptions } from './objects';
import { Target } from './prepare';
import { decodeProtobuf } from './protobuf';
import { ResourceRoute } from './routes';
import { toTable, wantsTable } from './table';
import { KubeObject, apiVersionOf } from './types';
import { Watches } from './watch';

export interface Request {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  raw: Buffer;
}

export interface Reply {
  code: number;
  body: unknown;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export class ResourceHandler {
  constructor(
    private readonly objects: Objects,
    private readonly lister: Lister,
    private readonly watches: Watches,
  ) {}

  /** Returns a reply, or undefined when the response was streamed (watch). */
  handle(route: ResourceRoute, req: Request, res: ServerResponse): Reply | undefined {
    if (route.subresource !== undefined && (route.subresource !== 'status' || !route.type.hasStatus)) throw notFoundPath();
    const t: Target = {
      type: route.type,
      version: route.version,
      namespace: route.type.namespaced ? (route.namespace ?? '') : '',
      name: route.name,
      part: route.subresource === 'status' ? 'status' : 'main',
    };
    if (route.name === undefined) return this.collection(route, t, req, res);
    return this.item(t, req);
  }

  private collection(route: ResourceRoute, t: Target, req: Request, res: ServerResponse): Reply | undefined {
    const q = req.url.searchParams;
    const namespace = route.type.namespaced ? route.namespace : undefined;
    if (req.method === 'GET' && isTrue(q.get('watch'))) {
      this.watches.serve({
        type: t.type,
        version: t.version,
        namespace,
        labelSelector: q.get('labelSelector'),
        fieldSelector: q.get('fieldSelector'),
        resourceVersion: q.get('resourceVersion'),
        timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
        allowWatchBookmarks: isTrue(q.get('allowWatchBookmarks')),
        accept: req.headers.accept,
      }, res);
      return undefined;
    }
    if (req.method === 'GET') return { code: 200, body: this.list(t, namespace, req) };
    if (req.method === 'POST') {
      if (t.type.namespaced && route.namespace === undefined) throw methodNotAllowed();
      return { code: 201, body: this.objects.view(t, this.objects.create(t, parseBody(req), writeOptions(req))) };
    }
    if (req.method === 'DELETE') return { code: 200, body: this.deleteCollection(t, namespace, req) };
    throw methodNotAllowed();
  }

  private list(t: Target, namespace: string | undefined, req: Request): unknown {
    const q = req.url.searchParams;
    const page = this.lister.list(t.type, {
      namespace,
      labelSelector: q.get('labelSelector'),
      fieldSelector: q.get('fieldSelector'),
      limit: q.has('limit') ? Number(q.get('limit')) : undefined,
      continueToken: q.get('continue') ?? undefined,
    });
    const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
    if (page.continueToken) metadata.continue = page.continueToken;
    if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
    const items = page.items.map((o) => this.objects.view(t, o));
    if (wantsTable(req.headers.accept)) return toTable(t.type, t.version, items, metadata);
    return { kind: t.type.listKind, apiVersion: apiVersionOf(t.type.group, t.version), metadata, items };
  }

  private deleteCollection(t: Target, namespace: string | undefined, req: Request): unknown {
    const q = req.url.searchParams;
    const page = this.lister.list(t.type, { namespace, labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector') });
    const opts = deleteOptions(req);
    const items = page.items.map((o) => this.objects.delete({ ...t, namespace: o.metadata.namespace ?? '', name: o.metadata.name }, opts));
    return { kind: t.type.listKind, apiVersion: apiVersionOf(t.type.group, t.version), metadata: {}, items };
  }

  private item(t: Target, req: Request): Reply {
    const q = req.url.searchParams;
    const opts = writeOptions(req);
    switch (req.method) {
      case 'GET': {
        const obj = this.objects.view(t, this.objects.get(t));
        return { code: 200, body: wantsTable(req.headers.accept) ? toTable(t.type, t.version, [obj], { resourceVersion: obj.metadata.resourceVersion }) : obj };
      }
      case 'PUT':
        return { code: 200, body: this.objects.view(t, this.objects.update(t, parseBody(req), opts)) };
      case 'PATCH': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
        const type = PATCH_TYPES[contentType];
        if (!type) throw unsupportedMediaType(contentType);
        if (type === 'apply' && !q.get('fieldManager')) throw badRequest('fieldManager is required for apply requests');
        if (type !== 'apply' && q.has('force')) throw badRequest('force may not be set for non-apply patch');
        const { object, created } = this.objects.patch(t, type, req.body, opts);
        return { code: created ? 201 : 200, body: this.objects.view(t, object) };
      }
      case 'DELETE': {
        if (t.part === 'status') throw methodNotAllowed();
        const deleted = this.objects.delete(t, { ...deleteOptions(req), dryRun: q.get('dryRun') === 'All' });
        return { code: 200, body: deleted ? this.objects.view(t, deleted) : success({ name: t.name, group: t.type.group, kind: t.type.plural }) };
      }
      default:
        throw methodNotAllowed();
    }
  }
}

export function notFoundPath(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

function isTrue(v: string | null): boolean {
  return v === '1' || v === 'true';
}

/** ?fieldManager (else derived from the User-Agent, as kube does), ?force, ?fieldValidation, ?dryRun. */
function writeOptions(req: Request): WriteOptions {
  const q = req.url.searchParams;
  return {
    manager: q.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']),
    force: isTrue(q.get('force')),
    fieldValidation: q.get('fieldValidation') ?? undefined,
    dryRun: q.get('dryRun') === 'All',
  };
}

/** JSON and YAML bodies, and the few protobuf ones kubectl's generators send; anything else is 415. */
function parseBody(req: Request): KubeObject {
  const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim();
  const fromProtobuf = contentType === 'application/vnd.kubernetes.protobuf' ? decodeProtobuf(req.raw) : undefined;
  if (fromProtobuf) return fromProtobuf as unknown as KubeObject;
  if (!/json|yaml/.test(contentType)) throw failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  let body: unknown;
  try {
    body = /yaml/.test(req.headers['content-type'] ?? '') ? parseYaml(req.body) : JSON.parse(req.body);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized: ${(e as Error).message}`);
  }
  if (!isObject(body)) throw badRequest('the object provided is unrecognized (must be of type object)');
  return body as unknown as KubeObject;
}

interface DeleteOptionsBody {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { resourceVersion?: string; uid?: string };
}

function deleteOptions(req: Request): { propagationPolicy?: string; preconditionRv?: string; preconditionUid?: string } {
  let body: DeleteOptionsBody = {};
  if (req.body.trim() !== '') {
    try {
      body = JSON.parse(req.body) as DeleteOptionsBody;
    } catch {
      throw badRequest('the body of the request was not valid DeleteOptions');
    }
  }
  const policy = req.url.searchParams.get('propagationPolicy') ?? body.propagationPolicy ?? (body.orphanDependents === true ? 'Orphan' : undefined);
  return { propagationPolicy: policy, preconditionRv: body.preconditions?.resourceVersion, preconditionUid: body.preconditions?.uid };
}

