import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { API_GROUP, API_VERSION, RECEIVER_KIND, RECEIVER_PLURAL, SYSTEM_LABELS } from '../group';
import { DEFAULT_RECEIVER_MAX_AGE_SECONDS, RECEIVER_TYPES } from '../receiver';

const schema: JSONSchemaProps = {
  type: 'object',
  description: "Where a registry's push notifications come in: they nudge the imports of the stream tags that follow the pushed repository.",
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['type', 'secretRef'],
      properties: {
        type: { type: 'string', enum: [...RECEIVER_TYPES], description: 'The sender: its payload format and how it authenticates (bearer header, HMAC signature or secret path).' },
        secretRef: {
          type: 'object',
          required: ['name'],
          description: "A Secret of this namespace whose key 'token' holds the shared token (the HMAC secret for GHCR).",
          properties: { name: { type: 'string', minLength: 1, maxLength: 253 } },
        },
        registries: {
          type: 'array',
          description: 'The registries this receiver speaks for, as streams name them; default: the host each event names.',
          items: { type: 'string', minLength: 1, maxLength: 255 },
          maxItems: 16,
        },
        streams: {
          type: 'array',
          description: 'Only these ImageStreams of the namespace are nudged; default: all of them.',
          items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
        },
        maxAgeSeconds: { type: 'integer', minimum: 10, maximum: 86_400, default: DEFAULT_RECEIVER_MAX_AGE_SECONDS, description: 'Deliveries older than this are refused as replays.' },
      },
    },
  },
};

/** The RegistryReceiver CRD (spec only: what a receiver did is in the stream's status and Events). */
export function receiverCrd(): CustomResourceDefinitionManifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${RECEIVER_PLURAL}.${API_GROUP}`, labels: { ...SYSTEM_LABELS } },
    spec: {
      group: API_GROUP,
      names: { kind: RECEIVER_KIND, listKind: `${RECEIVER_KIND}List`, plural: RECEIVER_PLURAL, singular: 'registryreceiver', shortNames: ['rr'], categories: ['imagestreams'] },
      scope: 'Namespaced',
      versions: [{
        name: API_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        additionalPrinterColumns: [
          { name: 'Type', type: 'string', jsonPath: '.spec.type' },
          { name: 'Secret', type: 'string', jsonPath: '.spec.secretRef.name' },
        ],
      }],
    },
  };
}
