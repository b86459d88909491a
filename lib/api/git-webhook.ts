/**
 * Git webhooks as OpenShift serves them: the URL of a BuildConfig's webhook, the Secret key that
 * holds its shared secret, and which branch a push must name to start a build. Shared by the
 * receiver (which serves the URL) and whatever prints or checks it.
 * @see https://docs.openshift.com/container-platform/latest/cicd/builds/triggering-builds-build-hooks.html
 */
import type { BuildSourceSpec, WebhookType } from './buildconfig';
import { boundedName } from './names';

/** The key of a webhook trigger's `secretReference` Secret that holds the shared secret. */
export const WEBHOOK_SECRET_KEY = 'WebHookSecretKey';

/** The last segment of a webhook URL, by type (OpenShift's spelling). */
export const WEBHOOK_URL_TYPES: Readonly<Record<WebhookType, string>> = { GitHub: 'github', GitLab: 'gitlab', Bitbucket: 'bitbucket', Generic: 'generic' };

/**
 * The API prefixes a webhook URL may start with: OpenShift's own, so that a git host's webhook
 * moves by changing its host only, and this project's group.
 */
export const WEBHOOK_URL_PREFIXES = ['/apis/build.openshift.io/v1', '/apis/imagestreams.dev/v1alpha1'] as const;

/** `/apis/build.openshift.io/v1/namespaces/<ns>/buildconfigs/<name>/webhooks/<secret>/<type>`, the secret percent-encoded. */
export function gitWebhookPath(namespace: string, name: string, secret: string, type: WebhookType): string {
  return `${WEBHOOK_URL_PREFIXES[0]}/namespaces/${namespace}/buildconfigs/${name}/webhooks/${encodeURIComponent(secret)}/${WEBHOOK_URL_TYPES[type]}`;
}

/**
 * A commit a push may ask to build: a full SHA-1 or SHA-256 id. It becomes the build's REVISION,
 * an argument to git: never `--upload-pack=…`, never a ref the sender picks.
 */
export const COMMIT_PATTERN = '^[0-9a-f]{40}([0-9a-f]{24})?$';
const COMMIT_RE = new RegExp(COMMIT_PATTERN);
export const isCommit = (value: unknown): value is string => typeof value === 'string' && COMMIT_RE.test(value);

/** The branch OpenShift assumes when a BuildConfig's git source names no ref. */
export const DEFAULT_WEBHOOK_BRANCH = 'master';

/**
 * Whether a push of `eventRef` (`refs/heads/x` or `x`) is a push of the branch the source builds,
 * as OpenShift matches them: both without `refs/heads/`, the source's ref `master` when it has none.
 */
export function pushMatchesSource(eventRef: string, source: BuildSourceSpec): boolean {
  const strip = (ref: string) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref);
  return strip(eventRef) === strip(source.git?.ref || DEFAULT_WEBHOOK_BRANCH);
}

/** The generateName of the request runs webhook deliveries create (Tekton Triggers' template and the receiver alike). */
export function webhookRunPrefix(buildConfig: string): string {
  return boundedName(buildConfig, '-webhook-', 63 - 5);
}
