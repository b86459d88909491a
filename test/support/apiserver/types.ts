/** Shapes shared by the stand-in API server's parts (plain JSON, as on the wire). */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** How a list field merges: by keys (associative), as a set of scalars, or replaced whole. */
export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** One served resource (a plural of a group), possibly under several versions. */
export interface ResourceType {
  group: string;
  /** Versions served; the first is the preferred (storage) one. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  hasStatus: boolean;
  /** Per version: the CRD's openAPIV3Schema, when there is one. */
  schemas: Record<string, JsonObject | undefined>;
  /** Per version: additionalPrinterColumns. */
  printerColumns: Record<string, PrinterColumn[]>;
  /** Set for custom resources; they merge with JSON merge patch instead of strategic merge patch. */
  custom: boolean;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** resourceKeys with side effects on the server (registering types, emptying namespaces). */
export const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';
export const NAMESPACE_KEY = 'namespaces';
