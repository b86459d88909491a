import type { CustomResourceDefinitionManifest, JSONSchemaProps, PrinterColumn } from './crd-types';
import { API_GROUP, API_VERSION, SYSTEM_LABELS } from '../group';

/** What differs between our CRDs; `defineCrd` writes the rest the same way for each. */
export interface CrdDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames?: readonly string[];
  /** What one object of the kind is, for `kubectl explain`. */
  readonly description: string;
  readonly spec: JSONSchemaProps;
  /** The status schema; with it, the kind has a status subresource (the controller's to write). */
  readonly status?: JSONSchemaProps;
  readonly printerColumns: readonly PrinterColumn[];
}

/** A namespaced CRD of our group, one served and stored version, in the `imagestreams` category. */
export function defineCrd(definition: CrdDefinition): CustomResourceDefinitionManifest {
  const { kind, plural, singular, shortNames, description, spec, status, printerColumns } = definition;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${API_GROUP}`, labels: { ...SYSTEM_LABELS } },
    spec: {
      group: API_GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular, ...(shortNames ? { shortNames } : {}), categories: ['imagestreams'] },
      scope: 'Namespaced',
      versions: [{
        name: API_VERSION,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description,
            properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec, ...(status ? { status } : {}) },
          },
        },
        ...(status ? { subresources: { status: {} } } : {}),
        additionalPrinterColumns: printerColumns,
      }],
    },
  };
}

/** A reference to a Secret of the object's own namespace, by name only. */
export function secretRefSchema(description: string): JSONSchemaProps {
  return { type: 'object', required: ['name'], description, properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } };
}
