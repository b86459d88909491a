import { at, identity, mustBeString, parseJson, PayloadError, splitImageUrl, tagName, type PayloadParser } from './event';

const SENDER = 'Quay';

/**
 * Quay's "Push to Repository" notification (method Webhook POST): `{ repository: 'ns/repo', namespace,
 * name, docker_url: 'quay.io/ns/repo', homepage, updated_tags: [...] }`. It carries neither a time nor
 * an id, so its identity is the whole body: the same push notified twice is one event.
 * @see https://docs.quay.io/guides/notifications.html
 */
export const parseQuay: PayloadParser = (body) => {
  const payload = parseJson(body, SENDER);
  const { host, repository } = splitImageUrl(mustBeString(payload, 'docker_url', SENDER), SENDER);
  const tags = at(payload, 'updated_tags');
  if (!Array.isArray(tags) || tags.length > 1000 || !tags.every((t) => typeof t === 'string')) {
    throw new PayloadError(`${SENDER} payload has no list of strings 'updated_tags'`);
  }
  const id = identity(body);
  return [...new Set(tags as string[])].map((tag) => ({ id: `quay:${id}:${tag}`, host, repository, tag: tagName(tag, SENDER) }));
};
