import { isCommit } from '../../../api/git-webhook';
import { at, headerValue, optionalString, parseJson, PayloadError, type Headers } from '../payloads/event';
import { info, isZeroCommit, mustBeJson, type GitDelivery } from './push';

const SENDER = 'GitLab';

/**
 * GitLab's `Push Hook`: `{ ref, checkout_sha (null when the branch was deleted), after,
 * user_username, project: { git_http_url } }`. Other events are refused, as OpenShift does.
 * @see https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events
 */
export function parseGitLab(headers: Headers, body: string): GitDelivery {
  const event = headerValue(headers, 'x-gitlab-event');
  if (event === undefined) throw new PayloadError('missing X-Gitlab-Event');
  if (event !== 'Push Hook') throw new PayloadError(`unknown X-Gitlab-Event ${JSON.stringify(event.slice(0, 64))}: only push events start builds`);
  mustBeJson(headers, SENDER);
  const payload = parseJson(body, SENDER);
  const ref = optionalString(payload, 'ref');
  if (ref === undefined) throw new PayloadError(`${SENDER} payload has no string 'ref'`);
  const commit = optionalString(payload, 'checkout_sha') ?? optionalString(payload, 'after');
  if (commit === undefined || isZeroCommit(commit)) return { kind: 'ignore', reason: `${ref} was deleted` };
  if (!isCommit(commit)) throw new PayloadError(`${SENDER} payload's commit is not a full commit id`);
  return {
    kind: 'push', refs: [{ ref, commit }],
    pusher: info(at(payload, 'user_username')), repository: info(at(payload, 'project.git_http_url') ?? at(payload, 'repository.git_http_url')),
  };
}
