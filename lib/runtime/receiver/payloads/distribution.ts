import { at, digestHint, identity, isObject, mustBeString, optionalString, parseJson, PayloadError, registryHost, repositoryPath, rfc3339, splitImageUrl, tagName, type PayloadParser, type PushEvent } from './event';

const SENDER = 'a distribution registry';

/**
 * The CNCF distribution registry's notifications (`notifications.endpoints` in its config): an
 * envelope `{ events: [...] }`, each event with an `id`, a `timestamp`, an `action` and a `target`
 * (`repository`, `tag` when a manifest was pushed by tag, `url`) and the `request` (its `host`).
 * Only manifest pushes by tag move a tag: pulls, mounts, deletes, blob pushes and manifests pushed by
 * digest (a list's entries) are skipped.
 * @see https://distribution.github.io/distribution/about/notifications/
 */
export const parseDistribution: PayloadParser = (body) => {
  const envelope = parseJson(body, SENDER);
  const events = at(envelope, 'events');
  if (!Array.isArray(events)) throw new PayloadError(`${SENDER} payload has no list 'events'`);
  if (events.length > 1000) throw new PayloadError(`${SENDER} payload has more than 1000 events`);
  const pushes: PushEvent[] = [];
  for (const event of events) {
    if (!isObject(event) || event.action !== 'push') continue;
    const tag = optionalString(event, 'target.tag');
    if (tag === undefined) continue;
    const id = optionalString(event, 'id') ?? identity(body);
    pushes.push({
      id: `distribution:${id}`,
      at: rfc3339(event.timestamp),
      host: hostOf(event),
      repository: repositoryPath(mustBeString(event, 'target.repository', SENDER), SENDER),
      tag: tagName(tag, SENDER),
      ...withDigest(digestHint(event.target && (event.target as Record<string, unknown>).digest)),
    });
  }
  return pushes;
};

/** The host the pusher addressed (`request.host`), else the one in the target's URL. */
function hostOf(event: Record<string, unknown>): string | undefined {
  const host = optionalString(event, 'request.host');
  if (host !== undefined) return registryHost(host, SENDER);
  const url = optionalString(event, 'target.url');
  return url === undefined ? undefined : splitImageUrl(url, SENDER).host;
}

const withDigest = (digest: string | undefined) => (digest ? { digest } : {});
