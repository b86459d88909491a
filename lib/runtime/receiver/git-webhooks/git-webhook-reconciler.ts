import { triggersOf, webhookOf } from '../../../api/build-spec';
import type { BuildConfigObject } from '../../../api/buildconfig';
import { BUILDCONFIGS } from '../../../api/group';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Informer } from '../../machinery/informer';
import { objectKey } from '../../machinery/object-store';
import type { Reconciler, SetupContext } from '../../machinery/reconciler';
import { TokenUnavailableError, type TokenCache } from '../tokens';
import { webhookSecretProblem } from './git-webhook-receiver';

type BuildConfig = BuildConfigObject & KubeObject;

/**
 * The BuildConfigs the webhook receiver reads (the controller's shared informer, filled on every
 * replica), and, on the leader, a check of each BuildConfig's webhook Secrets as it changes: a
 * Warning Event `WebhookSecretUnavailable` on it while one can't be read (missing, no
 * `WebHookSecretKey`, or no Role lets the controller read it), since every delivery is refused until then.
 */
export class GitWebhookReconciler implements Reconciler {
  readonly name = 'git-webhooks';
  private buildConfigs!: Informer<BuildConfig>;
  private events!: EventRecorder;

  constructor(private readonly secrets: TokenCache) {}

  setup(ctx: SetupContext): void {
    this.events = ctx.events;
    this.buildConfigs = ctx.informer<BuildConfig>({ ...BUILDCONFIGS });
    ctx.watch(this.buildConfigs, (bc, old) => (old && JSON.stringify(old.spec.triggers) === JSON.stringify(bc.spec.triggers) ? [] : [objectKey(bc)]));
  }

  buildConfig(namespace: string, name: string): BuildConfig | undefined {
    return this.buildConfigs.get(namespace, name);
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const bc = this.buildConfigs.get(namespace, name);
    if (!bc) return;
    const names = new Set(triggersOf(bc.spec).map((t) => webhookOf(t)?.secretReference?.name).filter((n): n is string => !!n));
    for (const secret of names) {
      try {
        await this.secrets.token(namespace, secret);
      } catch (error) {
        if (!(error instanceof TokenUnavailableError)) throw error;
        await this.events.record(bc, 'Warning', 'WebhookSecretUnavailable', webhookSecretProblem(error));
      }
    }
  }
}
