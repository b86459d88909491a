import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { API_GROUP, API_VERSION, NOTIFIER_KIND, NOTIFIER_PLURAL, SYSTEM_LABELS } from '../group';
import { NOTIFICATION_EVENTS, NOTIFIER_TYPES } from '../notifier';

const schema: JSONSchemaProps = {
  type: 'object',
  description: 'Where the controller sends notifications: imports of a new digest, builds started, succeeded or failed, rollouts.',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['type', 'secretRef'],
      properties: {
        type: { type: 'string', enum: [...NOTIFIER_TYPES], description: 'Webhook (JSON), Slack (a Slack-compatible incoming webhook) or CloudEvents (structured mode over HTTP).' },
        secretRef: {
          type: 'object',
          required: ['name'],
          description: "A Secret of this namespace: key 'address' holds the URL, optional key 'token' a bearer token.",
          properties: { name: { type: 'string', minLength: 1, maxLength: 253 } },
        },
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
    },
  },
};

/** The Notifier CRD. */
export function notifierCrd(): CustomResourceDefinitionManifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${NOTIFIER_PLURAL}.${API_GROUP}`, labels: { ...SYSTEM_LABELS } },
    spec: {
      group: API_GROUP,
      names: { kind: NOTIFIER_KIND, listKind: `${NOTIFIER_KIND}List`, plural: NOTIFIER_PLURAL, singular: 'notifier', categories: ['imagestreams'] },
      scope: 'Namespaced',
      versions: [{
        name: API_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        additionalPrinterColumns: [
          { name: 'Type', type: 'string', jsonPath: '.spec.type' },
          { name: 'Events', type: 'string', jsonPath: '.spec.events' },
        ],
      }],
    },
  };
}
