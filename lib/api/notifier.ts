/**
 * Notifier: where the controller tells people and systems what happened — a new digest imported into
 * a stream tag, a build started, succeeded or failed, a workload rolled out to a new image — as a
 * generic JSON webhook, a Slack-compatible message, or a CloudEvent over HTTP. The URL (and an
 * optional bearer token) is read from a Secret by name, never written in a spec.
 */
import type { NOTIFIER_KIND } from './group';

export type NotifierType = 'Webhook' | 'Slack' | 'CloudEvents';
export const NOTIFIER_TYPES: readonly NotifierType[] = ['Webhook', 'Slack', 'CloudEvents'];

export type NotificationEventType = 'ImageImported' | 'BuildStarted' | 'BuildSucceeded' | 'BuildFailed' | 'RolledOut';
export const NOTIFICATION_EVENTS: readonly NotificationEventType[] = ['ImageImported', 'BuildStarted', 'BuildSucceeded', 'BuildFailed', 'RolledOut'];

/** The CloudEvents `type` of each event. */
export const CLOUDEVENT_TYPES: Readonly<Record<NotificationEventType, string>> = Object.freeze({
  ImageImported: 'dev.imagestreams.image.imported',
  BuildStarted: 'dev.imagestreams.build.started',
  BuildSucceeded: 'dev.imagestreams.build.succeeded',
  BuildFailed: 'dev.imagestreams.build.failed',
  RolledOut: 'dev.imagestreams.workload.rolledout',
});

/** The Secret keys: the URL to post to, and an optional token sent as `Authorization: Bearer <token>`. */
export const NOTIFIER_ADDRESS_KEY = 'address';
export const NOTIFIER_TOKEN_KEY = 'token';

/** What an event is about: the stream (imports, and rollouts of workloads following it) or the BuildConfig. */
export interface NotificationSource {
  readonly kind: 'ImageStream' | 'BuildConfig';
  readonly name: string;
}

export interface NotifierSpec {
  readonly type: NotifierType;
  /** A Secret of the notifier's namespace: key `address` (the URL), optional key `token`. */
  readonly secretRef: { readonly name: string };
  /** Only these events. @default - all of them */
  readonly events?: readonly NotificationEventType[];
  /** Only events of these streams and BuildConfigs. @default - every one of the namespace */
  readonly sources?: readonly NotificationSource[];
  /**
   * Events of every namespace the controller manages: honoured only for a Notifier in the system
   * namespace (a tenant can't watch another's), the system-wide notifier. @default false
   */
  readonly allNamespaces?: boolean;
}

export interface NotifierObject {
  readonly apiVersion: string;
  readonly kind: typeof NOTIFIER_KIND;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly spec: NotifierSpec;
}
