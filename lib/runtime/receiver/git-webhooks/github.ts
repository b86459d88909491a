import { isCommit } from '../../../api/git-webhook';
import { at, headerValue, optionalString, parseJson, PayloadError, type Headers } from '../payloads/event';
import { info, isZeroCommit, mustBeJson, type GitDelivery } from './push';

const SENDER = 'GitHub';

/**
 * GitHub's `push` event (Gogs and Gitea send the same payload under their own event header):
 * `{ ref, after, deleted, head_commit: { id }, pusher: { name }, repository: { clone_url } }`.
 * `ping` (sent when the hook is made) builds nothing; other events are refused, as OpenShift does.
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
 */
export function parseGitHub(headers: Headers, body: string): GitDelivery {
  const event = headerValue(headers, 'x-github-event') ?? headerValue(headers, 'x-gogs-event') ?? headerValue(headers, 'x-gitea-event');
  if (event === undefined) throw new PayloadError('missing X-GitHub-Event');
  if (event === 'ping') return { kind: 'ignore', reason: 'ping' };
  if (event !== 'push') throw new PayloadError(`unknown X-GitHub-Event ${JSON.stringify(event.slice(0, 64))}: only push events start builds`);
  mustBeJson(headers, SENDER);
  const payload = parseJson(body, SENDER);
  const ref = optionalString(payload, 'ref');
  if (ref === undefined) throw new PayloadError(`${SENDER} payload has no string 'ref'`);
  const commit = optionalString(payload, 'head_commit.id') ?? optionalString(payload, 'after');
  if (at(payload, 'deleted') === true || commit === undefined || isZeroCommit(commit)) return { kind: 'ignore', reason: `${ref} was deleted` };
  if (!isCommit(commit)) throw new PayloadError(`${SENDER} payload's commit is not a full commit id`);
  return { kind: 'push', refs: [{ ref, commit }], pusher: info(at(payload, 'pusher.name')), repository: info(at(payload, 'repository.clone_url')) };
}
