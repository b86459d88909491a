import type { WebhookType } from '../../../lib/api/buildconfig';
import type { TriggerInterceptor, TriggerParam } from '../../tekton';

/** The header a Generic webhook's sender sets to `push`, so that no other host's payload passes its trigger. */
export const GENERIC_EVENT_HEADER = 'X-Imagestreams-Event';

/** What each TriggerTemplate receives; `repository` is informational (builds always clone the BuildConfig's URL). */
export const TEMPLATE_PARAMS = ['commit', 'ref', 'pusher', 'repository', 'webhook'] as const;

/** How one git host's push webhook is checked, filtered and read. */
export interface GitHostWebhook {
  /** The host's own interceptor, which checks the shared secret and the event type. */
  readonly interceptor: TriggerInterceptor;
  /** A CEL expression that is true only for a push that moved the BuildConfig's branch to a commit (a hex SHA). */
  readonly filter: string;
  /** TriggerBinding params: where commit, ref, pusher and repository are in the payload. */
  readonly bindings: readonly TriggerParam[];
}

export interface SecretKeyRef {
  readonly secretName: string;
  readonly secretKey: string;
}

/** A CEL string literal (CEL's double-quoted strings take JSON's escapes). */
const cel = (text: string) => JSON.stringify(text);

/**
 * The payload's commit becomes the build's REVISION, which git receives as an argument: only a full
 * SHA-1 or SHA-256 commit id passes (never `--upload-pack=…`, never a ref the sender picks).
 */
export const COMMIT_PATTERN = '^[0-9a-f]{40}([0-9a-f]{24})?$';
const isCommit = (path: string) => `${path}.matches(${cel(COMMIT_PATTERN)})`;

const clusterInterceptor = (name: string, params: TriggerInterceptor['params']): TriggerInterceptor => ({
  name: `verify-${name}`, ref: { name, kind: 'ClusterInterceptor' }, params,
});

type SecretParam = TriggerInterceptor['params'][number];
const param = (name: string, value: string): TriggerParam => ({ name, value });

/** Per git host: its interceptor (secret and event type), the branch filter and where the payload has what. */
const HOSTS: Record<WebhookType, (branchRef: string, secret: SecretParam) => GitHostWebhook> = {
  // HMAC-SHA256 of the body in X-Hub-Signature-256; X-GitHub-Event: push. A deleted branch has no commit to build.
  GitHub: (branchRef, secret) => ({
    interceptor: clusterInterceptor('github', [secret, { name: 'eventTypes', value: ['push'] }]),
    filter: `body.ref == ${cel(branchRef)} && !body.deleted && ${isCommit('body.after')}`,
    bindings: [param('commit', '$(body.after)'), param('ref', '$(body.ref)'), param('pusher', '$(body.pusher.name)'), param('repository', '$(body.repository.clone_url)')],
  }),
  // The secret travels as X-Gitlab-Token; a deleted branch has a null checkout_sha.
  GitLab: (branchRef, secret) => ({
    interceptor: clusterInterceptor('gitlab', [secret, { name: 'eventTypes', value: ['Push Hook'] }]),
    filter: `body.ref == ${cel(branchRef)} && body.checkout_sha != null && ${isCommit('body.checkout_sha')}`,
    bindings: [param('commit', '$(body.checkout_sha)'), param('ref', '$(body.ref)'), param('pusher', '$(body.user_username)'), param('repository', '$(body.project.git_http_url)')],
  }),
  // Bitbucket Cloud's repo:push, signed with HMAC-SHA256 in X-Hub-Signature when the webhook has a secret.
  Bitbucket: (branchRef, secret) => ({
    interceptor: clusterInterceptor('bitbucket', [secret, { name: 'eventTypes', value: ['repo:push'] }]),
    filter: `body.push.changes[0].new.type == "branch" && body.push.changes[0].new.name == ${cel(branchRef.slice('refs/heads/'.length))}`
      + ` && ${isCommit('body.push.changes[0].new.target.hash')}`,
    bindings: [
      param('commit', '$(body.push.changes[0].new.target.hash)'), param('ref', 'refs/heads/$(body.push.changes[0].new.name)'),
      param('pusher', '$(body.actor.display_name)'), param('repository', '$(body.repository.links.html.href)'),
    ],
  }),
  // CEL cannot read Secrets: the github interceptor checks the HMAC-SHA256 in X-Hub-Signature-256
  // (any sender can sign as GitHub does); our header keeps other hosts' payloads out.
  Generic: (branchRef, secret) => ({
    interceptor: clusterInterceptor('github', [secret]),
    filter: `header.match(${cel(GENERIC_EVENT_HEADER)}, "push") && body.ref == ${cel(branchRef)} && ${isCommit('body.commit')}`,
    bindings: [param('commit', '$(body.commit)'), param('ref', '$(body.ref)'), param('pusher', '$(body.pusher)')],
  }),
};

/**
 * The interceptor, branch filter and bindings of one webhook type for one branch (`refs/heads/x`).
 * @see https://tekton.dev/docs/triggers/interceptors/
 */
export function gitHostWebhook(type: WebhookType, branchRef: string, secretRef: SecretKeyRef): GitHostWebhook {
  const host = HOSTS[type];
  if (!host) throw new Error(`unknown webhook type ${String(type)}`);
  return host(branchRef, { name: 'secretRef', value: { ...secretRef } });
}

/** The cel ClusterInterceptor that applies `filter`. */
export function branchFilter(filter: string): TriggerInterceptor {
  return { name: 'branch', ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: filter }] };
}
