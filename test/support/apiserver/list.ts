/** LIST with selectors and consistent paging (limit + continue over a snapshot taken by the first page). */
import { randomUUID } from 'node:crypto';
import { badRequest, gone } from './errors';
import { fieldSelector, labelSelector, Matcher, selectedName } from './selectors';
import { Store } from './store';
import { KubeObject, resourceKey, ResourceType } from './types';

export interface ListQuery {
  namespace?: string;
  labelSelector: string | null;
  fieldSelector: string | null;
  limit?: number;
  continueToken?: string;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface Snapshot {
  items: KubeObject[];
  rv: string;
}

interface Token {
  id: string;
  offset: number;
}

const MAX_SNAPSHOTS = 256;

export function matcherFor(q: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>): Matcher {
  const byLabel = labelSelector(q.labelSelector);
  const byField = fieldSelector(q.fieldSelector);
  return (o) => byLabel(o) && byField(o);
}

export class Lister {
  private snapshots = new Map<string, Snapshot>();

  constructor(private readonly store: Store) {}

  /** Test hook companion of expireWatchHistory: old continue tokens become 410 too. */
  expire(): void {
    this.snapshots.clear();
  }

  list(type: ResourceType, q: ListQuery): ListPage {
    if (q.continueToken) return this.continuePage(q.continueToken, q.limit);
    const match = matcherFor(q);
    const name = selectedName(q.fieldSelector);
    const key = resourceKey(type);
    const candidates = name !== undefined && q.namespace !== undefined ? [this.store.get(key, q.namespace, name)].filter((o): o is KubeObject => !!o) : this.store.list(key, q.namespace);
    const items = candidates.filter(match);
    const rv = String(this.store.currentRv());
    return this.page({ items, rv }, 0, q.limit, !q.labelSelector && !q.fieldSelector);
  }

  private page(snap: Snapshot, offset: number, limit: number | undefined, countRemaining: boolean): ListPage {
    if (!limit || offset + limit >= snap.items.length) return { items: snap.items.slice(offset), resourceVersion: snap.rv };
    const id = randomUUID();
    this.snapshots.set(id, snap);
    if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value as string);
    const token: Token = { id, offset: offset + limit };
    const page: ListPage = { items: snap.items.slice(offset, offset + limit), resourceVersion: snap.rv, continueToken: Buffer.from(JSON.stringify(token)).toString('base64url') };
    if (countRemaining) page.remainingItemCount = snap.items.length - offset - limit;
    return page;
  }

  private continuePage(raw: string, limit: number | undefined): ListPage {
    let token: Token;
    try {
      token = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Token;
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    const snap = this.snapshots.get(token.id);
    if (!snap) throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    return this.page(snap, token.offset, limit, true);
  }
}
