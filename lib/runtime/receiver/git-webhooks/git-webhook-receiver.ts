import { WEBHOOK_CAUSE } from '../../../api/build-cause';
import { pipelineRunFor } from '../../../api/build-run';
import { sourceTypeOf, triggersOf, webhookOf } from '../../../api/build-spec';
import type { BuildConfigObject, WebhookTrigger, WebhookType } from '../../../api/buildconfig';
import { DEFAULT_WEBHOOK_BRANCH, pushMatchesSource, webhookRunPrefix } from '../../../api/git-webhook';
import { PUSHER_ANNOTATION, REF_ANNOTATION, REPOSITORY_ANNOTATION, WEBHOOK_TYPE_ANNOTATION } from '../../../api/labels';
import type { PipelineRun } from '../../../api/pipeline-run';
import type { KubeObject } from '../../kube/types';
import { errorText, type Logger } from '../../machinery/logger';
import { hubSignature, sameSecret } from '../authenticate';
import { PayloadError, type Headers } from '../payloads/event';
import { ReplayGuard } from '../replay-guard';
import type { DeliveryAnswer } from '../server';
import { TokenUnavailableError } from '../tokens';
import { parseBitbucket } from './bitbucket';
import { parseGeneric } from './generic';
import { parseGitHub } from './github';
import { parseGitLab } from './gitlab';
import { deliveryId, type GitDelivery } from './push';
import { RateLimit } from './rate-limit';
import { webhookTypeOf, type GitWebhookRoute } from './route';

type BuildConfig = BuildConfigObject & KubeObject;

const PARSERS: Readonly<Record<WebhookType, (headers: Headers, body: string) => GitDelivery>> = {
  GitHub: parseGitHub, GitLab: parseGitLab, Bitbucket: parseBitbucket, Generic: parseGeneric,
};

/** The headers that carry each host's delivery id (the same on a replay or a redelivery). */
const DELIVERY_HEADERS: Readonly<Record<WebhookType, readonly string[]>> = {
  GitHub: ['x-github-delivery', 'x-gitea-delivery', 'x-gogs-delivery'],
  GitLab: ['idempotency-key', 'x-gitlab-event-uuid'],
  Bitbucket: ['x-request-uuid', 'x-request-id'],
  Generic: ['x-request-id'],
};

/** How long a delivery id is remembered: a replay within it is refused. */
export const GIT_DELIVERY_WINDOW_MS = 60 * 60 * 1000;

export interface GitWebhookReceiverOptions {
  /** The BuildConfig of that name, from the controller's cache. */
  readonly buildConfig: (namespace: string, name: string) => BuildConfig | undefined;
  /** The `WebHookSecretKey` of a Secret of the namespace (TokenCache). */
  readonly secrets: { token(namespace: string, secret: string): Promise<string> };
  /** Creates the request run (in its namespace). */
  readonly createRun: (run: PipelineRun) => Promise<PipelineRun>;
  /** Warning Events on the BuildConfig when a Secret its webhooks name can't be read. */
  readonly events?: { record(object: KubeObject, type: 'Warning', reason: string, message: string): Promise<void> };
  /** @default - a guard of its own */
  readonly replay?: ReplayGuard;
  /** @default - 10 deliveries at once per BuildConfig, then one per 6 s */
  readonly rateLimit?: RateLimit;
  readonly log: Logger;
}

const refused = (type: string, name: string): DeliveryAnswer => ({ status: 401, body: { error: `the webhook "${type}" for "${name}" did not accept your secret` } });

/**
 * OpenShift's BuildConfig webhooks for every BuildConfig the controller caches, however it was
 * written: the secret in the URL is compared in constant time with each trigger of the type (its
 * inline `secret`, or the `WebHookSecretKey` of its `secretReference` Secret), and a signature, when
 * the host sends one, must be of the same secret. Then the host's push is read; a push of another
 * branch than the source's ref builds nothing; a delivery id seen before is refused; each BuildConfig
 * takes a bounded number of deliveries per minute; and a valid push becomes a request run — the
 * pending PipelineRun that Tekton Triggers' template would make — which the controller builds.
 * Answers as OpenShift does: 401 for a wrong secret, an unknown BuildConfig or one without such a
 * trigger alike (nothing tells them apart), 400 for what the host's format does not allow, 200 when
 * nothing is to be built or a build was requested.
 */
export class GitWebhookReceiver {
  private readonly replay: ReplayGuard;
  private readonly rateLimit: RateLimit;

  constructor(private readonly options: GitWebhookReceiverOptions) {
    this.replay = options.replay ?? new ReplayGuard();
    this.rateLimit = options.rateLimit ?? new RateLimit();
  }

  async deliver(route: GitWebhookRoute, headers: Headers, body: Buffer): Promise<DeliveryAnswer> {
    const type = webhookTypeOf(route.type);
    if (!type) return { status: 404, body: { error: `no webhook type "${route.type.slice(0, 32)}": use github, gitlab, bitbucket or generic` } };
    const bc = this.options.buildConfig(route.namespace, route.name);
    const where = { namespace: route.namespace, buildConfig: route.name, type };
    const trigger = bc && (await this.matchingTrigger(bc, type, route.secret));
    if (!bc || !trigger) {
      this.options.log.log('warn', 'webhook refused: no trigger of the type accepts the secret', where);
      return refused(route.type, route.name);
    }
    if (hubSignature(headers, trigger.secret, body) === 'invalid') {
      this.options.log.log('warn', 'webhook refused: the signature does not match', where);
      return { status: 401, body: { error: 'the signature does not match the webhook\'s secret: give the git host\'s webhook the same secret as the URL, or none' } };
    }
    let delivery: GitDelivery;
    try {
      delivery = PARSERS[type](headers, body.toString('utf8'));
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      return { status: 400, body: { error: error.message } };
    }
    const plan = this.plan(bc, trigger.hook, delivery);
    if ('skip' in plan) return { status: 200, body: { status: 'Success', message: plan.skip } };
    return this.request(bc, type, headers, plan);
  }

  /** The trigger of `type` whose secret is `presented`, with that secret; undefined when none is. */
  private async matchingTrigger(bc: BuildConfig, type: WebhookType, presented: string): Promise<{ hook: WebhookTrigger; secret: string } | undefined> {
    const unreadable: TokenUnavailableError[] = [];
    for (const hook of triggersOf(bc.spec).map(webhookOf)) {
      if (hook?.type !== type) continue;
      if (hook.secret && sameSecret(presented, hook.secret)) return { hook, secret: hook.secret };
      if (!hook.secretReference?.name) continue;
      try {
        const secret = await this.options.secrets.token(bc.metadata.namespace!, hook.secretReference.name);
        if (sameSecret(presented, secret)) return { hook, secret };
      } catch (error) {
        if (!(error instanceof TokenUnavailableError)) throw error;
        unreadable.push(error);
      }
    }
    for (const error of unreadable) void this.options.events?.record(bc, 'Warning', 'WebhookSecretUnavailable', webhookSecretProblem(error));
    return undefined;
  }

  /** What to build for the delivery, or why nothing. */
  private plan(bc: BuildConfig, hook: WebhookTrigger, delivery: GitDelivery): { skip: string } | { ref: string; commit?: string; env?: Readonly<Record<string, string>>; warnings: string[]; pusher?: string; repository?: string } {
    if (delivery.kind === 'ignore') return { skip: `nothing to build: ${delivery.reason}` };
    const source = bc.spec.source;
    const sourceType = sourceTypeOf(source);
    if (sourceType === 'Binary') return { skip: 'skipping build: a Binary build builds only what start-build uploads' };
    const warnings = delivery.warning ? [delivery.warning] : [];
    const ownRef = source.git?.ref || DEFAULT_WEBHOOK_BRANCH;
    let ref = ownRef;
    let commit: string | undefined;
    if (delivery.kind === 'push' && sourceType === 'Git') {
      const pushed = delivery.refs.find((r) => pushMatchesSource(r.ref, source));
      if (!pushed) return { skip: `skipping build: branch reference from ${JSON.stringify(delivery.refs[0]?.ref ?? '')} does not match configuration` };
      ({ ref, commit } = pushed);
    }
    let env = delivery.env;
    if (env && !hook.allowEnv) {
      warnings.push('the payload\'s env is ignored: the trigger does not set allowEnv');
      env = undefined;
    }
    const reported = delivery.kind === 'push' ? { pusher: delivery.pusher, repository: delivery.repository } : {};
    return { ref: ref.startsWith('refs/') ? ref : `refs/heads/${ref}`, ...(commit ? { commit } : {}), ...(env ? { env } : {}), warnings, ...reported };
  }

  /** Refuses a replay and a delivery over the BuildConfig's rate, else creates the request run. */
  private async request(bc: BuildConfig, type: WebhookType, headers: Headers, plan: { ref: string; commit?: string; env?: Readonly<Record<string, string>>; warnings: string[]; pusher?: string; repository?: string }): Promise<DeliveryAnswer> {
    const key = `${bc.metadata.namespace}/${bc.metadata.name}`;
    const where = { namespace: bc.metadata.namespace, buildConfig: bc.metadata.name, type };
    const id = deliveryId(headers, DELIVERY_HEADERS[type]);
    if (id !== undefined && this.replay.check(key, { id }, GIT_DELIVERY_WINDOW_MS) !== 'fresh') {
      this.options.log.log('warn', 'webhook refused: a delivery seen before', where);
      return { status: 409, body: { error: 'this delivery was received before' } };
    }
    const wait = this.rateLimit.take(key);
    if (wait > 0) {
      if (id !== undefined) this.replay.forget(key, id);
      this.options.log.log('warn', 'webhook refused: too many deliveries for the BuildConfig', where);
      return { status: 429, body: { error: 'too many deliveries for this BuildConfig: try again later' }, headers: { 'retry-after': String(Math.ceil(wait / 1000)) } };
    }
    const run = pipelineRunFor(bc, { type: WEBHOOK_CAUSE, ...(plan.commit ? { revision: plan.commit } : {}) }, {
      naming: { generateName: webhookRunPrefix(bc.metadata.name) },
      annotations: {
        [REF_ANNOTATION]: plan.ref,
        [PUSHER_ANNOTATION]: plan.pusher ?? '',
        [REPOSITORY_ANNOTATION]: plan.repository ?? '',
        [WEBHOOK_TYPE_ANNOTATION]: type,
      },
      ...(plan.env ? { env: plan.env } : {}),
    });
    let created: PipelineRun;
    try {
      created = await this.options.createRun(run);
    } catch (error) {
      if (id !== undefined) this.replay.forget(key, id);
      this.rateLimit.giveBack(key);
      this.options.log.log('error', 'webhook: the build request could not be created', { ...where, error: errorText(error) });
      return { status: 503, body: { error: 'the build request could not be created: try again' } };
    }
    this.options.log.log('info', 'webhook: build requested', { ...where, request: created.metadata.name, ...(plan.commit ? { commit: plan.commit } : {}) });
    return {
      status: 200,
      body: { status: 'Success', message: 'build requested', request: created.metadata.name, ...(plan.commit ? { commit: plan.commit } : {}), ...(plan.warnings.length ? { warnings: plan.warnings } : {}) },
    };
  }
}

/** The Event's text: what can't be read, and the fix (one per Secret, however many triggers name it). */
export function webhookSecretProblem(error: TokenUnavailableError): string {
  const fix = error.forbidden
    ? 'grant the controller\'s ServiceAccount get on that Secret with a Role and RoleBinding in this namespace (README, "Git webhooks")'
    : 'create it with the key WebHookSecretKey';
  return `a webhook's secret can't be checked: ${error.message}; its deliveries are refused until then: ${fix}`;
}
