import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { defineCrd, secretRefSchema } from './define-crd';
import { NOTIFIER_KIND, NOTIFIER_PLURAL } from '../group';
import { NOTIFICATION_EVENTS, NOTIFIER_TYPES } from '../notifier';

const spec: JSONSchemaProps = {
  type: 'object',
  required: ['type', 'secretRef'],
  properties: {
    type: { type: 'string', enum: [...NOTIFIER_TYPES], description: 'Webhook (JSON), Slack (a Slack-compatible incoming webhook) or CloudEvents (structured mode over HTTP).' },
    secretRef: secretRefSchema("A Secret of this namespace: key 'address' holds the URL, optional key 'token' a bearer token."),
    events: { type: 'array', items: { type: 'string', enum: [...NOTIFICATION_EVENTS] }, description: 'Only these events; default: all.' },
    sources: {
      type: 'array',
      description: 'Only events of these streams and BuildConfigs; default: all of the namespace.',
      items: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { kind: { type: 'string', enum: ['ImageStream', 'BuildConfig'] }, name: { type: 'string', minLength: 1, maxLength: 253 } },
      },
    },
    allNamespaces: { type: 'boolean', description: 'Events of every managed namespace: honoured only in the system namespace.' },
  },
};

/** The Notifier CRD. */
export function notifierCrd(): CustomResourceDefinitionManifest {
  return defineCrd({
    kind: NOTIFIER_KIND,
    plural: NOTIFIER_PLURAL,
    singular: 'notifier',
    description: 'Where the controller sends notifications: imports of a new digest, builds started, succeeded or failed, rollouts.',
    spec,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Events', type: 'string', jsonPath: '.spec.events' },
    ],
  });
}
