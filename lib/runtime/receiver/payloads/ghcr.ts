import { GHCR_HOST } from './hosts';
import { at, digestHint, headerValue, isObject, optionalString, parseJson, PayloadError, rfc3339, splitImageUrl, tagName, repositoryPath, type PayloadParser } from './event';

const SENDER = 'GitHub';

/**
 * GitHub's `package` and `registry_package` webhook events (repository, organization or app
 * webhooks): `{ action: 'published' | 'updated', package | registry_package: { name, namespace,
 * package_type | ecosystem: 'CONTAINER', package_version: { container_metadata: { tag: { name,
 * digest } }, package_url: 'ghcr.io/owner/name:tag', updated_at } } }`, with the headers
 * `X-GitHub-Event` and `X-GitHub-Delivery` (a GUID, the same on a redelivery). Other events (`ping`
 * when the hook is made) and packages of other ecosystems are skipped. GitHub signs every delivery
 * (`X-Hub-Signature-256`), checked before this runs.
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#registry_package
 */
export const parseGhcr: PayloadParser = (body, headers) => {
  const event = headerValue(headers, 'x-github-event');
  if (event !== 'package' && event !== 'registry_package') return [];
  const payload = parseJson(body, SENDER);
  const action = at(payload, 'action');
  if (action !== 'published' && action !== 'updated') return [];
  const pkg = at(payload, event);
  if (!isObject(pkg)) throw new PayloadError(`${SENDER} payload has no object '${event}'`);
  const ecosystem = (optionalString(pkg, 'package_type') ?? optionalString(pkg, 'ecosystem') ?? '').toLowerCase();
  if (ecosystem !== 'container' && ecosystem !== 'docker') return [];
  const version = at(pkg, 'package_version');
  const tag = optionalString(version, 'container_metadata.tag.name');
  if (tag === undefined) return []; // an untagged version (a platform's manifest of a list) moves no tag
  const delivery = headerValue(headers, 'x-github-delivery');
  if (!delivery || !/^[0-9a-f-]{8,64}$/i.test(delivery)) throw new PayloadError(`${SENDER} delivery has no X-GitHub-Delivery id`);
  const { host, repository } = location(pkg, version);
  const time = rfc3339(at(version, 'updated_at')) ?? rfc3339(at(version, 'created_at')) ?? rfc3339(at(pkg, 'updated_at'));
  const hint = digestHint(at(version, 'container_metadata.tag.digest'));
  return [{ id: `ghcr:${delivery.toLowerCase()}`, at: time, host, repository, tag: tagName(tag, SENDER), ...(hint ? { digest: hint } : {}) }];
};

/** From the version's `package_url` (`ghcr.io/owner/name:tag`), else `ghcr.io/<namespace>/<name>`. */
function location(pkg: Record<string, unknown>, version: unknown): { host: string; repository: string } {
  const url = optionalString(version, 'package_url');
  if (url !== undefined && url.includes('/')) return splitImageUrl(url, SENDER);
  const namespace = optionalString(pkg, 'namespace') ?? optionalString(pkg, 'owner.login');
  const name = optionalString(pkg, 'name');
  if (namespace === undefined || name === undefined) throw new PayloadError(`${SENDER} payload names no package`);
  return { host: GHCR_HOST, repository: repositoryPath(`${namespace}/${name}`, SENDER) };
}
