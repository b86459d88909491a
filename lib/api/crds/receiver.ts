import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { defineCrd, secretRefSchema } from './define-crd';
import { RECEIVER_KIND, RECEIVER_PLURAL } from '../group';
import { DEFAULT_RECEIVER_MAX_AGE_SECONDS, RECEIVER_TYPES } from '../receiver';

const spec: JSONSchemaProps = {
  type: 'object',
  required: ['type', 'secretRef'],
  properties: {
    type: { type: 'string', enum: [...RECEIVER_TYPES], description: 'The sender: its payload format and how it authenticates (bearer header, HMAC signature or secret path).' },
    secretRef: secretRefSchema("A Secret of this namespace whose key 'token' holds the shared token (the HMAC secret for GHCR)."),
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
};

/** The RegistryReceiver CRD (spec only: what a receiver did is in the stream's status and Events). */
export function receiverCrd(): CustomResourceDefinitionManifest {
  return defineCrd({
    kind: RECEIVER_KIND,
    plural: RECEIVER_PLURAL,
    singular: 'registryreceiver',
    shortNames: ['rr'],
    description: "Where a registry's push notifications come in: they nudge the imports of the stream tags that follow the pushed repository.",
    spec,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Secret', type: 'string', jsonPath: '.spec.secretRef.name' },
    ],
  });
}
