/**
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: server-side printing, so
 * `kubectl get` shows a CRD's additionalPrinterColumns (Name first, Age by default).
 */
import { dateCell } from './duration';
import { evaluateJsonPath } from './jsonpath';
import { isObject } from './json';
import { Json, JsonObject, KubeObject, PrinterColumn, ResourceType } from './types';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: { cells: Json[]; object: JsonObject }[];
}

const NAME_COLUMN: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** Printer columns of a version; with none declared, kube defaults to Age. */
export function printerColumns(type: ResourceType, version: string): PrinterColumn[] {
  const declared = type.printerColumns[version] ?? [];
  return declared.length > 0 ? declared : [AGE_COLUMN];
}

/** kube's cell rules: first match only; integers as numbers; strings printed; dates as ages. */
function cell(column: PrinterColumn, obj: KubeObject): Json {
  let matches: Json[];
  try {
    matches = evaluateJsonPath(column.jsonPath, obj as unknown as Json);
  } catch {
    return null;
  }
  if (matches.length === 0) return null;
  const v = matches[0];
  switch (column.type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'string':
      return typeof v === 'string' ? v : isObject(v) || Array.isArray(v) ? JSON.stringify(v) : String(v);
    case 'date':
      return dateCell(v);
    default:
      return v;
  }
}

function partialMetadata(obj: KubeObject): JsonObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata as unknown as Json };
}

export function toTable(type: ResourceType, version: string, objects: KubeObject[], metadata: Table['metadata'], noHeaders = false): Table {
  const columns = printerColumns(type, version);
  const definitions: TableColumnDefinition[] = [
    NAME_COLUMN,
    ...columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: noHeaders ? [] : definitions,
    rows: objects.map((o) => ({ cells: [o.metadata.name ?? '', ...columns.map((c) => cell(c, o))], object: partialMetadata(o) })),
  };
}
