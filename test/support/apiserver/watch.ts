/**
 * WATCH: newline-delimited JSON events. Starts with synthetic ADDED events (resourceVersion unset
 * or "0") or replays history after a resourceVersion (410 Expired as an ERROR event when too old),
 * then streams live events, BOOKMARKs when asked, until timeoutSeconds or the server closes it.
 */
import { ServerResponse } from 'node:http';
import { gone, Status } from './errors';
import { matcherFor } from './list';
import { Store, StoreEvent } from './store';
import { toTable, wantsTable } from './table';
import { KubeObject, resourceKey, ResourceType, apiVersionOf } from './types';

export interface WatchRequest {
  type: ResourceType;
  version: string;
  namespace?: string;
  labelSelector: string | null;
  fieldSelector: string | null;
  resourceVersion: string | null;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  accept?: string;
}

type WireEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

/** Many watches see the same event: serialize it once per (object, event type, apiVersion). */
const serialized = new WeakMap<KubeObject, Map<string, string>>();

function eventLine(type: WireEvent['type'], o: KubeObject, apiVersion: string): string {
  let lines = serialized.get(o);
  if (!lines) serialized.set(o, (lines = new Map()));
  const key = `${type} ${apiVersion}`;
  let line = lines.get(key);
  if (line === undefined) {
    line = JSON.stringify({ type, object: o.apiVersion === apiVersion ? o : { ...o, apiVersion } }) + '\n';
    lines.set(key, line);
  }
  return line;
}

export class Watches {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
  ) {}

  closeAll(): void {
    for (const close of [...this.open]) close();
  }

  serve(req: WatchRequest, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const stream = new WatchStream(req, res, this.store);
    const key = resourceKey(req.type);
    const startRv = req.resourceVersion && req.resourceVersion !== '0' ? Number(req.resourceVersion) : undefined;
    let initial: StoreEvent[] | undefined;
    if (startRv === undefined) {
      const current = this.store.list(key, req.namespace);
      initial = current.map((o) => ({ type: 'ADDED', resource: key, rv: Number(o.metadata.resourceVersion), object: o }));
    } else initial = this.store.eventsSince(key, startRv);
    if (!initial) {
      stream.error(gone(`too old resource version: ${startRv} (${this.store.currentRv()})`).status);
      res.end();
      return;
    }
    const unsubscribe = this.store.subscribe(key, (e) => stream.event(e));
    for (const e of initial) stream.event(e);
    const timers: NodeJS.Timeout[] = [];
    const close = (): void => {
      unsubscribe();
      timers.forEach((t) => clearTimeout(t));
      this.open.delete(close);
      if (!res.writableEnded) res.end();
    };
    this.open.add(close);
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) timers.push(setTimeout(close, req.timeoutSeconds * 1000));
    if (req.allowWatchBookmarks) timers.push(setInterval(() => stream.bookmark(), this.bookmarkIntervalMs));
    res.on('close', close);
  }
}

/** One open watch: filters events and writes them in the requested form. */
class WatchStream {
  private readonly matches;
  private readonly table: boolean;
  private sentHeaders = false;

  constructor(
    private readonly req: WatchRequest,
    private readonly res: ServerResponse,
    private readonly store: Store,
  ) {
    this.matches = matcherFor(req);
    this.table = wantsTable(req.accept);
  }

  private inScope(o: KubeObject | undefined): boolean {
    if (!o) return false;
    if (this.req.namespace !== undefined && (o.metadata.namespace ?? '') !== this.req.namespace) return false;
    return this.matches(o);
  }

  /** A MODIFIED event that crosses the selector's edge is seen as ADDED or DELETED, like kube's watch cache. */
  event(e: StoreEvent): void {
    const now = this.inScope(e.object);
    if (e.type !== 'MODIFIED') return now ? this.sendObject(e.type, e.object) : undefined;
    const before = this.inScope(e.previous);
    if (now) this.sendObject(before ? 'MODIFIED' : 'ADDED', e.object);
    else if (before) this.sendObject('DELETED', e.object);
  }

  private sendObject(type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObject): void {
    if (this.table) return this.send({ type, object: this.renderTable(o) });
    if (!this.res.writableEnded) this.res.write(eventLine(type, o, apiVersionOf(this.req.type.group, this.req.version)));
  }

  bookmark(): void {
    const apiVersion = apiVersionOf(this.req.type.group, this.req.version);
    this.send({ type: 'BOOKMARK', object: { kind: this.req.type.kind, apiVersion, metadata: { resourceVersion: String(this.store.currentRv()) } } });
  }

  error(status: Status): void {
    this.send({ type: 'ERROR', object: status });
  }

  private renderTable(o: KubeObject): unknown {
    const apiVersion = apiVersionOf(this.req.type.group, this.req.version);
    const viewed = o.apiVersion === apiVersion ? o : { ...o, apiVersion };
    const t = toTable(this.req.type, this.req.version, [viewed], { resourceVersion: o.metadata.resourceVersion }, this.sentHeaders);
    this.sentHeaders = true;
    return t;
  }

  private send(e: WireEvent): void {
    if (!this.res.writableEnded) this.res.write(JSON.stringify(e) + '\n');
  }
}
