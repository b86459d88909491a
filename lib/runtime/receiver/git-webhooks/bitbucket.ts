import { isCommit } from '../../../api/git-webhook';
import { at, headerValue, isObject, parseJson, PayloadError, type Headers } from '../payloads/event';
import { info, mustBeJson, type GitDelivery, type PushedRef } from './push';

const SENDER = 'Bitbucket';

/**
 * Bitbucket Cloud's `repo:push` (`push.changes[].new: { type: 'branch', name, target: { hash } }`,
 * `new` null for a deleted branch) and Bitbucket Data Center's `repo:refs_changed`
 * (`changes[]: { ref: { id: 'refs/heads/x', type: 'BRANCH' }, toHash, type }`). A push may move
 * several branches: each moved branch is one ref. Other events are refused, as OpenShift does.
 * @see https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/#Push
 */
export function parseBitbucket(headers: Headers, body: string): GitDelivery {
  const event = headerValue(headers, 'x-event-key');
  if (event === undefined) throw new PayloadError('missing X-Event-Key');
  if (event !== 'repo:push' && event !== 'repo:refs_changed') throw new PayloadError(`unknown X-Event-Key ${JSON.stringify(event.slice(0, 64))}: only push events start builds`);
  mustBeJson(headers, SENDER);
  const payload = parseJson(body, SENDER);
  const refs = event === 'repo:push' ? cloudRefs(at(payload, 'push.changes')) : dataCenterRefs(at(payload, 'changes'));
  if (refs.length === 0) return { kind: 'ignore', reason: 'no branch moved to a commit' };
  return {
    kind: 'push', refs,
    pusher: info(at(payload, 'actor.display_name') ?? at(payload, 'actor.displayName') ?? at(payload, 'actor.name')),
    repository: info(at(payload, 'repository.links.html.href')),
  };
}

function cloudRefs(changes: unknown): PushedRef[] {
  if (!Array.isArray(changes)) throw new PayloadError(`${SENDER} payload has no array 'push.changes'`);
  return changes.slice(0, 100).flatMap((change): PushedRef[] => {
    const next = at(change, 'new');
    if (!isObject(next) || next.type !== 'branch' || typeof next.name !== 'string') return [];
    return [{ ref: `refs/heads/${next.name}`, commit: commitOf(at(next, 'target.hash')) }];
  });
}

function dataCenterRefs(changes: unknown): PushedRef[] {
  if (!Array.isArray(changes)) throw new PayloadError(`${SENDER} payload has no array 'changes'`);
  return changes.slice(0, 100).flatMap((change): PushedRef[] => {
    const id = at(change, 'ref.id');
    if (at(change, 'type') === 'DELETE' || at(change, 'ref.type') !== 'BRANCH' || typeof id !== 'string') return [];
    return [{ ref: id, commit: commitOf(at(change, 'toHash')) }];
  });
}

function commitOf(value: unknown): string {
  if (!isCommit(value)) throw new PayloadError(`${SENDER} payload's commit is not a full commit id`);
  return value;
}
