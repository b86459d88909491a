import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { WEBHOOK_CAUSE } from '../../../lib/api/build-cause';
import { BUILDCONFIG_LABEL, PUSHER_ANNOTATION, REF_ANNOTATION, REPOSITORY_ANNOTATION, WEBHOOK_TYPE_ANNOTATION } from '../../../lib/api/labels';
import { pipelineRunFor, type BuildConfigLike } from '../../../lib/api/build-run';
import type { WebhookType } from '../../../lib/api/buildconfig';
import { boundedName } from '../../../lib/api/names';
import { TRIGGERS_API_VERSION, type EventListenerSpec, type TriggerSpec, type TriggerTemplateSpec } from '../../tekton';
import type { WebhookSettings } from '../trigger';
import { branchFilter, gitHostWebhook, TEMPLATE_PARAMS } from './git-hosts';
import { WEBHOOK_INGRESS_ANNOTATIONS, webhookIngressSpec } from './ingress';
import { WebhookListenerAccess } from './listener-access';

/** Triggers prefixes the listener's Service name with `el-`, which must stay a 63-character DNS label. */
const EVENT_LISTENER_NAME_MAX = 60;
const NAME_MAX = 63;
/** The port of the EventListener's Service. */
export const EVENT_LISTENER_PORT = 8080;

export interface WebhookListenerProps {
  readonly buildConfig: string;
  readonly namespace: string;
  /** The branch builds follow, `refs/heads/x`. */
  readonly branchRef: string;
  /** The BuildConfig as synthesized (triggers can be added after construction). */
  readonly resource: () => BuildConfigLike;
}

/**
 * The Tekton Triggers objects of one BuildConfig's webhooks: its own EventListener (own Service, own
 * URL: a push to one repository can never start another BuildConfig's build), one TriggerTemplate
 * creating a pending PipelineRun for the controller, and per webhook type a Trigger (the host's
 * interceptor checking the secret, then the branch filter), a TriggerBinding and optionally an Ingress.
 */
export class WebhookListener extends Construct {
  readonly eventListenerName: string;
  /** The listener's in-cluster Service: `el-<name>`, port 8080. */
  readonly serviceName: string;
  private readonly triggerNames: string[] = [];

  constructor(scope: Construct, id: string, private readonly props: WebhookListenerProps) {
    super(scope, id);
    const { buildConfig, namespace } = props;
    const access = WebhookListenerAccess.in(this, namespace);
    this.eventListenerName = boundedName(buildConfig, '', EVENT_LISTENER_NAME_MAX);
    this.serviceName = `el-${this.eventListenerName}`;
    new ApiObject(this, 'TriggerTemplate', {
      apiVersion: TRIGGERS_API_VERSION, kind: 'TriggerTemplate', metadata: this.metadata(buildConfig),
      spec: Lazy.any({ produce: () => this.templateSpec() }),
    });
    new ApiObject(this, 'EventListener', {
      apiVersion: TRIGGERS_API_VERSION, kind: 'EventListener', metadata: this.metadata(this.eventListenerName),
      spec: Lazy.any({ produce: (): EventListenerSpec => ({ serviceAccountName: access.serviceAccountName, triggers: this.triggerNames.map((triggerRef) => ({ triggerRef })) }) }),
    });
  }

  /** The Trigger, TriggerBinding (and Ingress) of one webhook type. */
  addWebhook(type: WebhookType, secret: string, settings: WebhookSettings): void {
    const name = boundedName(this.props.buildConfig, `-${type.toLowerCase()}`, NAME_MAX);
    const host = gitHostWebhook(type, this.props.branchRef, { secretName: secret, secretKey: settings.secretKey });
    this.triggerNames.push(name);
    new ApiObject(this, `${type}Binding`, {
      apiVersion: TRIGGERS_API_VERSION, kind: 'TriggerBinding', metadata: this.metadata(name),
      spec: { params: [...host.bindings, { name: 'webhook', value: type }] },
    });
    const spec: TriggerSpec = {
      interceptors: [host.interceptor, branchFilter(host.filter)],
      bindings: [{ ref: name, kind: 'TriggerBinding' }],
      template: { ref: this.props.buildConfig },
    };
    new ApiObject(this, `${type}Trigger`, { apiVersion: TRIGGERS_API_VERSION, kind: 'Trigger', metadata: this.metadata(name), spec });
    if (settings.ingress) {
      const path = settings.ingress.path ?? `/hooks/${this.props.namespace}/${this.props.buildConfig}/${type.toLowerCase()}`;
      new ApiObject(this, `${type}Ingress`, {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { ...this.metadata(name), annotations: { ...WEBHOOK_INGRESS_ANNOTATIONS } },
        spec: webhookIngressSpec({ ...settings.ingress, path }, this.serviceName, EVENT_LISTENER_PORT),
      });
    }
  }

  private metadata(name: string) {
    return { name, namespace: this.props.namespace, labels: { [BUILDCONFIG_LABEL]: this.props.buildConfig } };
  }

  private templateSpec(): TriggerTemplateSpec {
    const informational = new Set(['pusher', 'repository']);
    // The payload's fields reach the run as the TriggerTemplate's params.
    const run = pipelineRunFor(this.props.resource(), { type: WEBHOOK_CAUSE, revision: '$(tt.params.commit)' }, {
      naming: { generateName: boundedName(this.props.buildConfig, '-webhook-', NAME_MAX - 5) },
      annotations: {
        [REF_ANNOTATION]: '$(tt.params.ref)',
        [PUSHER_ANNOTATION]: '$(tt.params.pusher)',
        [REPOSITORY_ANNOTATION]: '$(tt.params.repository)',
        [WEBHOOK_TYPE_ANNOTATION]: '$(tt.params.webhook)',
      },
    });
    return {
      params: TEMPLATE_PARAMS.map((name) => ({ name, ...(informational.has(name) ? { default: '' } : {}) })),
      resourcetemplates: [run],
    };
  }
}
