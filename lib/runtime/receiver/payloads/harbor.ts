import { at, digestHint, epochSeconds, identity, isObject, mustBeString, optionalString, parseJson, PayloadError, rfc3339, splitImageUrl, tagName, type PayloadParser, type PushEvent } from './event';

const SENDER = 'Harbor';

/**
 * Harbor's project webhooks, in both of its payload formats. Default: `{ type: 'PUSH_ARTIFACT',
 * occur_at, operator, event_data: { resources: [{ digest, tag, resource_url }], repository: {
 * repo_full_name, … } } }`. CloudEvents (Harbor 2.10+): `{ specversion, id, type:
 * 'harbor.artifact.pushed', time, data: { resources, repository } }`. One event per pushed tag; other
 * event types (pulls, deletes, scans, quotas) are skipped. Harbor authenticates with the policy's
 * "Auth Header", sent as the Authorization header.
 * @see https://goharbor.io/docs/main/working-with-projects/project-configuration/configure-webhooks/
 */
export const parseHarbor: PayloadParser = (body) => {
  const payload = parseJson(body, SENDER);
  const cloudEvent = typeof at(payload, 'specversion') === 'string';
  const type = mustBeString(payload, 'type', SENDER);
  if (type !== (cloudEvent ? 'harbor.artifact.pushed' : 'PUSH_ARTIFACT')) return [];
  const time = cloudEvent ? rfc3339(at(payload, 'time')) : epochSeconds(at(payload, 'occur_at'));
  const data = cloudEvent ? at(payload, 'data') : at(payload, 'event_data');
  const resources = at(data, 'resources');
  if (!Array.isArray(resources) || resources.length > 1000) throw new PayloadError(`${SENDER} payload has no list 'resources'`);
  const delivery = cloudEvent ? optionalString(payload, 'id') : undefined;
  const events: PushEvent[] = [];
  for (const resource of resources) {
    if (!isObject(resource)) continue;
    const tag = optionalString(resource, 'tag');
    if (tag === undefined) continue;
    const { host, repository } = splitImageUrl(mustBeString(resource, 'resource_url', SENDER), SENDER);
    const digest = optionalString(resource, 'digest');
    const id = identity(delivery ?? type, time, repository, tag, digest);
    const hint = digestHint(digest);
    events.push({ id: `harbor:${id}`, at: time, host, repository, tag: tagName(tag, SENDER), ...(hint ? { digest: hint } : {}) });
  }
  return events;
};
