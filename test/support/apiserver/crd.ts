/** CustomResourceDefinitions: their own checks and defaults, and the resource type they register. */
import { FieldError } from './errors';
import { JsonObject, PrinterColumn, ResourceType } from './types';

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonObject };
  subresources?: { status?: JsonObject };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdSpec {
  group?: string;
  scope?: string;
  names?: CrdNames;
  versions?: CrdVersion[];
}

/** The checks kube makes that our tests rely on (names, group, scope, one storage version). */
export function validateCrd(name: string, spec: CrdSpec | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const req = (field: string): void => void errors.push({ field, reason: 'FieldValueRequired', detail: 'Required value' });
  if (!spec?.group) req('spec.group');
  if (!spec?.names?.plural) req('spec.names.plural');
  if (!spec?.names?.kind) req('spec.names.kind');
  if (spec?.scope !== 'Namespaced' && spec?.scope !== 'Cluster') {
    errors.push({ field: 'spec.scope', reason: 'FieldValueNotSupported', detail: `Unsupported value: "${spec?.scope ?? ''}": supported values: "Cluster", "Namespaced"` });
  }
  if (spec?.group && spec.names?.plural && name !== `${spec.names.plural}.${spec.group}`) {
    errors.push({ field: 'metadata.name', reason: 'FieldValueInvalid', detail: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group` });
  }
  const versions = spec?.versions ?? [];
  if (versions.length === 0) req('spec.versions');
  else if (versions.filter((v) => v.storage).length !== 1) {
    errors.push({ field: 'spec.versions', reason: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(versions.map((v) => v.name))}: must have exactly one version marked as storage version` });
  }
  return errors;
}

/** Fills what the API server defaults on a CRD (singular, listKind) and marks it Established. */
export function defaultCrd(spec: CrdSpec): { acceptedNames: CrdNames; conditions: JsonObject[]; storedVersions: string[] } {
  const names = spec.names ?? {};
  names.singular ??= (names.kind ?? '').toLowerCase();
  names.listKind ??= `${names.kind}List`;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const condition = (type: string, reason: string, message: string): JsonObject => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  return {
    acceptedNames: { ...names },
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name ?? ''),
  };
}

/** The resource type a (valid) CRD serves; the storage version is listed first. */
export function crdResourceType(spec: CrdSpec): ResourceType {
  const served = (spec.versions ?? []).filter((v) => v.served !== false);
  served.sort((a, b) => Number(b.storage ?? false) - Number(a.storage ?? false));
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  return {
    group: spec.group ?? '',
    versions: served.map((v) => v.name ?? ''),
    plural: names.plural ?? '',
    singular: names.singular ?? kind.toLowerCase(),
    kind,
    listKind: names.listKind ?? `${kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    hasStatus: served.some((v) => v.subresources?.status !== undefined),
    schemas: Object.fromEntries(served.map((v) => [v.name ?? '', v.schema?.openAPIV3Schema])),
    printerColumns: Object.fromEntries(served.map((v) => [v.name ?? '', v.additionalPrinterColumns ?? []])),
    custom: true,
  };
}
