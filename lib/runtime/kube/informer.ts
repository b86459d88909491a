import { GoneError } from './errors';
import type { ResourceClient } from './client';
import type { KubeObject, WatchEvent } from './types';
import { sleep, type BackoffOptions } from './watch';

export interface InformerHandlers<T extends KubeObject> {
  /**
   * The complete current state: called first, and again after every relist (the watch fell too
   * far behind: 410 Gone). Replace the whole cache with `items`; objects missing from it were deleted.
   */
  onSync(items: T[], resourceVersion: string): void | Promise<void>;
  /** A change after the last sync (ADDED, MODIFIED or DELETED; bookmarks are kept internal). */
  onEvent(event: WatchEvent<T>): void | Promise<void>;
}

export interface ListAndWatchOptions<T extends KubeObject = KubeObject> {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Ends the informer; listAndWatch() then resolves. */
  readonly signal?: AbortSignal;
  readonly timeoutSeconds?: number;
  readonly backoff?: BackoffOptions;
  /** Relists in a row that bring no event before giving up. @default 5 */
  readonly maxRelists?: number;
  /** Applied to every object listed (page by page) or watched before handlers see it: keep only what is read. */
  readonly transform?: (object: T) => T;
  /** Objects per page of a list. @default 500 */
  readonly pageSize?: number;
}

/** List, then watch from the list's version; on 410 Gone, relist and sync again. Like client-go's reflector. */
export async function listAndWatch<T extends KubeObject>(
  resource: ResourceClient<T>,
  handlers: InformerHandlers<T>,
  options: ListAndWatchOptions<T> = {},
): Promise<void> {
  const { signal, labelSelector, fieldSelector, transform, pageSize } = options;
  let relists = 0;
  while (!signal?.aborted) {
    let events = 0;
    try {
      const { items, resourceVersion } = await resource.listAll({ labelSelector, fieldSelector, signal, map: transform, pageSize });
      await handlers.onSync(items, resourceVersion);
      const watchOptions = { signal, labelSelector, fieldSelector, timeoutSeconds: options.timeoutSeconds, backoff: options.backoff, resourceVersion, allowWatchBookmarks: true };
      await resource.watch(watchOptions, async (event) => {
        if (event.type === 'BOOKMARK') return;
        events++;
        await handlers.onEvent(transform ? { ...event, object: transform(event.object) } : event);
      });
      return;
    } catch (error) {
      if (signal?.aborted) return;
      // A 410 comes from an expired watch version or list continue token: both mean relist.
      if (!(error instanceof GoneError)) throw error;
      relists = events > 0 ? 1 : relists + 1;
      if (relists > (options.maxRelists ?? 5)) throw error;
      await sleep(relists > 1 ? (options.backoff?.initialMs ?? 500) * 2 ** (relists - 2) : 0, signal);
    }
  }
}
