import type { IncomingMessage } from 'node:http';
import { GoneError, KubeApiError, statusToError, TooManyRequestsError, type KubeStatus } from './errors';
import type { HttpTransport } from './http';
import { NdjsonSplitter } from './ndjson';
import { collectionPath, withQuery, type ResourceRef } from './resources';
import type { KubeObject, WatchEvent } from './types';

export interface BackoffOptions {
  /** Wait before the first reconnect; doubles while connections bring no event. @default 500 */
  readonly initialMs?: number;
  /** @default 30_000 */
  readonly maxMs?: number;
  /** Failed connections in a row (refused, non-2xx, ERROR events) before watch() gives up. @default 8 */
  readonly maxFailures?: number;
}

export interface WatchOptions {
  /** Start after this version. @default - the current state, sent as ADDED events first */
  readonly resourceVersion?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** @default true */
  readonly allowWatchBookmarks?: boolean;
  /** Ends the watch; watch() then resolves. */
  readonly signal?: AbortSignal;
  /** The server ends each connection after this long. @default - random between 5 and 10 minutes */
  readonly timeoutSeconds?: number;
  readonly backoff?: BackoffOptions;
}

export type WatchHandler<T extends KubeObject> = (event: WatchEvent<T>) => void | Promise<void>;

/**
 * Watches until `signal` aborts, reconnecting from the last seen resourceVersion (bookmarks
 * included) whenever the server ends the stream. Events are handed over one at a time: an async
 * handler holds the stream back until it is done. Rejects with GoneError when the version is too
 * old (the caller must relist: see listAndWatch), or with the last error after too many failures.
 */
export async function watchResource<T extends KubeObject>(
  transport: HttpTransport,
  ref: ResourceRef,
  options: WatchOptions,
  onEvent: WatchHandler<T>,
): Promise<void> {
  const { signal } = options;
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const maxFailures = options.backoff?.maxFailures ?? 8;
  let resourceVersion = options.resourceVersion;
  let delayMs = initialMs;
  let failures = 0;
  while (!signal?.aborted) {
    const { events, outcome } = await connectOnce<T>(transport, ref, options, resourceVersion, (event) => {
      resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
      return onEvent(event);
    });
    if (outcome instanceof HandlerFailure) throw outcome.cause;
    if (signal?.aborted) return;
    if (events > 0) [failures, delayMs] = [0, initialMs];
    if (outcome instanceof GoneError) throw outcome;
    if (isFailure(outcome) && ++failures >= maxFailures) throw outcome;
    if (outcome instanceof TooManyRequestsError) delayMs = Math.max(delayMs, (outcome.retryAfterSeconds ?? 0) * 1000);
    await sleep(delayMs, signal);
    delayMs = Math.min(delayMs * 2, maxMs);
  }
}

/** One watch connection, until the server ends it: how many events it brought and how it ended. */
async function connectOnce<T extends KubeObject>(
  transport: HttpTransport,
  ref: ResourceRef,
  options: WatchOptions,
  resourceVersion: string | undefined,
  onEvent: WatchHandler<T>,
): Promise<{ events: number; outcome?: unknown }> {
  let events = 0;
  try {
    const path = watchPath(ref, options, resourceVersion);
    const res = await transport.stream({ method: 'GET', path, signal: options.signal });
    await readEvents<T>(res, `watch ${path}`, options, async (event) => {
      events++;
      try {
        await onEvent(event);
      } catch (error) {
        throw new HandlerFailure(error);
      }
    });
    return { events };
  } catch (outcome) {
    return { events, outcome };
  }
}

/** Marks an error thrown by the caller's handler: it ends the watch instead of a reconnect. */
class HandlerFailure {
  constructor(readonly cause: unknown) {}
}

/** A clean end or a cut stream is normal (servers and proxies end streams); anything else is a failure. */
function isFailure(outcome: unknown): boolean {
  if (outcome === undefined) return false;
  return outcome instanceof KubeApiError || (outcome as NodeJS.ErrnoException).code !== 'ECONNRESET';
}

function watchPath(ref: ResourceRef, options: WatchOptions, resourceVersion: string | undefined): string {
  return withQuery(collectionPath(ref), {
    watch: true,
    resourceVersion,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    allowWatchBookmarks: options.allowWatchBookmarks ?? true,
    timeoutSeconds: options.timeoutSeconds ?? Math.floor(300 * (1 + Math.random())),
  });
}

async function readEvents<T extends KubeObject>(
  res: IncomingMessage,
  label: string,
  options: WatchOptions,
  onEvent: (event: WatchEvent<T>) => Promise<void>,
): Promise<void> {
  // The server ends the stream after timeoutSeconds; silence well past that means a dead connection.
  const idleMs = ((options.timeoutSeconds ?? 600) + 30) * 1000;
  const idle = setTimeout(() => res.destroy(Object.assign(new Error('watch stream went silent'), { code: 'ECONNRESET' })), idleMs);
  const splitter = new NdjsonSplitter();
  try {
    for await (const chunk of res) {
      for (const value of splitter.push(chunk as Buffer)) await onEvent(toEvent<T>(value, label));
      idle.refresh();
    }
    for (const value of splitter.end()) await onEvent(toEvent<T>(value, label));
  } finally {
    clearTimeout(idle);
    res.destroy();
  }
}

function toEvent<T extends KubeObject>(value: unknown, label: string): WatchEvent<T> {
  const event = value as { type?: unknown; object?: unknown };
  if (event?.type === 'ERROR') throw statusToError((event.object ?? {}) as KubeStatus, label);
  const known = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'];
  if (!known.includes(event?.type as string) || typeof event.object !== 'object' || event.object === null) {
    throw new Error(`${label} sent an unknown event: ${JSON.stringify(value).slice(0, 100)}`);
  }
  return event as WatchEvent<T>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
