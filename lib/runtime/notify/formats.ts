import { CLOUDEVENT_TYPES, type NotifierType } from '../../api/notifier';
import type { NotificationEvent } from './events';

export interface Rendered {
  readonly contentType: string;
  readonly body: string;
}

/**
 * An event as each kind of receiver takes it:
 * - Webhook: `{ id, type, namespace, source: { kind, name }, time, message, data }`;
 * - Slack: an incoming-webhook message, `{ text, blocks }` (Mattermost, Rocket.Chat and Teams' Slack
 *   compatibility read `text`);
 * - CloudEvents: a structured-mode CloudEvent 1.0 (`application/cloudevents+json`), `type`
 *   `dev.imagestreams.…`, `source` the object's API path, `subject` its name.
 * @see https://api.slack.com/messaging/webhooks
 * @see https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md
 */
export function render(type: NotifierType, event: NotificationEvent): Rendered {
  switch (type) {
    case 'Webhook': return { contentType: 'application/json', body: JSON.stringify(event) };
    case 'Slack': return { contentType: 'application/json', body: JSON.stringify(slack(event)) };
    case 'CloudEvents': return { contentType: 'application/cloudevents+json; charset=utf-8', body: JSON.stringify(cloudEvent(event)) };
  }
}

const ICONS: Record<NotificationEvent['type'], string> = { ImageImported: ':package:', BuildStarted: ':hammer:', BuildSucceeded: ':white_check_mark:', BuildFailed: ':x:', RolledOut: ':rocket:' };

function slack(event: NotificationEvent) {
  const text = `${ICONS[event.type]} *${event.type}* ${escapeSlack(event.message)}`;
  const facts = Object.entries(event.data).filter(([, v]) => v !== undefined).map(([k, v]) => `*${k}*: \`${escapeSlack(String(v))}\``);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(facts.length ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: facts.join('  ') }] }] : []),
    ],
  };
}

/** Slack's three control characters. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const RESOURCE: Record<NotificationEvent['source']['kind'], string> = { ImageStream: 'imagestreams', BuildConfig: 'buildconfigs' };

function cloudEvent(event: NotificationEvent) {
  return {
    specversion: '1.0',
    id: event.id,
    source: `/apis/imagestreams.dev/v1alpha1/namespaces/${event.namespace}/${RESOURCE[event.source.kind]}/${event.source.name}`,
    type: CLOUDEVENT_TYPES[event.type],
    subject: event.source.name,
    time: event.time,
    datacontenttype: 'application/json',
    data: { message: event.message, ...event.data },
  };
}
