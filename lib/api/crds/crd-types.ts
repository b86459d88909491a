/** The subset of apiextensions.k8s.io/v1 CustomResourceDefinition that our CRDs use. */
export interface JSONSchemaProps {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly properties?: Record<string, JSONSchemaProps>;
  readonly items?: JSONSchemaProps;
  readonly required?: readonly string[];
  readonly enum?: readonly (string | number)[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly nullable?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** A string or an integer (Kubernetes quantities); `type` is then left out. */
  readonly 'x-kubernetes-int-or-string'?: boolean;
  /** CEL rules; `fieldPath` (relative to this node, e.g. `.customStrategy`) is the path the error names. */
  readonly 'x-kubernetes-validations'?: readonly { rule: string; message: string; fieldPath?: string }[];
  readonly additionalProperties?: JSONSchemaProps;
}

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
}

export interface CustomResourceDefinitionManifest {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly listKind: string; readonly plural: string; readonly singular: string; readonly shortNames?: readonly string[]; readonly categories?: readonly string[] };
    readonly scope: 'Namespaced' | 'Cluster';
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly storage: boolean;
      readonly schema: { readonly openAPIV3Schema: JSONSchemaProps };
      readonly subresources?: { readonly status?: Record<string, never> };
      readonly additionalPrinterColumns?: readonly PrinterColumn[];
    }[];
  };
}
