import type { WebhookType } from '../../../api/buildconfig';
import { WEBHOOK_URL_PREFIXES, WEBHOOK_URL_TYPES } from '../../../api/git-webhook';

/** Where a git host posted: `…/namespaces/<ns>/buildconfigs/<name>/webhooks/<secret>/<type>`. */
export interface GitWebhookRoute {
  readonly namespace: string;
  readonly name: string;
  /** The secret segment, percent-decoded. */
  readonly secret: string;
  /** The type segment as posted: github, gitlab, bitbucket, generic, or anything else (404). */
  readonly type: string;
}

const escape = (text: string) => text.replace(/[.]/g, '\\.');
const PATH = new RegExp(
  `^(?:${WEBHOOK_URL_PREFIXES.map(escape).join('|')})/namespaces/([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)/buildconfigs/([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)/webhooks/([^/]{1,1024})/([^/]{1,32})/?$`,
);

/** The route of a webhook URL path (no query), or undefined when the path is not one. */
export function gitWebhookRoute(path: string): GitWebhookRoute | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  let secret: string;
  try {
    secret = decodeURIComponent(match[3]);
  } catch {
    return undefined;
  }
  return { namespace: match[1], name: match[2], secret, type: match[4] };
}

/** The webhook type a URL's last segment names. */
export function webhookTypeOf(segment: string): WebhookType | undefined {
  return (Object.keys(WEBHOOK_URL_TYPES) as WebhookType[]).find((type) => WEBHOOK_URL_TYPES[type] === segment);
}
