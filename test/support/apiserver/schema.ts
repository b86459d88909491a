/**
 * A custom resource's structural schema at work: prune unknown fields, apply `default`s,
 * then validate (ajv), reporting errors the way kube-apiserver words them.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FieldError } from './errors';
import { Json, JsonObject } from './types';

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'quantity', 'duration']) ajv.addFormat(f, true);

const compiled = new WeakMap<JsonObject, ValidateFunction>();

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function schemaOf(v: Json | undefined): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

/**
 * Drops fields the schema does not declare, unless x-kubernetes-preserve-unknown-fields.
 * Returns the dropped fields' paths (`spec.tags[0].bogus`) for fieldValidation.
 */
export function prune(value: Json, schema: JsonObject | undefined, isRoot = false, path = ''): string[] {
  if (!schema) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => prune(item, schemaOf(schema.items), false, `${path}[${i}]`));
  const dropped: string[] = [];
  if (!isObject(value)) return dropped;
  const props = schemaOf(schema.properties);
  const additional = schemaOf(schema.additionalProperties);
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const child = schemaOf(props?.[key]) ?? additional;
    const childPath = path ? `${path}.${key}` : key;
    if (child) dropped.push(...prune(value[key], child, false, childPath));
    else if (!preserve && !schema['x-kubernetes-int-or-string'] && (props || additional || schema.type === 'object')) {
      delete value[key];
      dropped.push(childPath);
    }
  }
  return dropped;
}

/** Applies `default`s of absent (or non-nullable null) properties, depth first. */
export function applyDefaults(value: Json, schema: JsonObject | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, schemaOf(schema.items));
    return;
  }
  if (!isObject(value)) return;
  const props = schemaOf(schema.properties) ?? {};
  for (const [key, raw] of Object.entries(props)) {
    const child = schemaOf(raw);
    if (!child) continue;
    if (value[key] === null && child.nullable !== true) delete value[key];
    if (value[key] === undefined && child.default !== undefined) value[key] = structuredClone(child.default);
    if (value[key] !== undefined) applyDefaults(value[key], child);
  }
  const additional = schemaOf(schema.additionalProperties);
  if (additional) for (const key of Object.keys(value)) if (!(key in props)) applyDefaults(value[key], additional);
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(root: Json, instancePath: string): Json | undefined {
  let node: Json | undefined = root;
  for (const seg of instancePath.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
  }
  return node;
}

function toFieldError(e: ErrorObject, root: Json): FieldError {
  const field = fieldPath(e.instancePath);
  const value = valueAt(root, e.instancePath);
  const shown = JSON.stringify(value);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: field ? `${field}.${missing}` : missing, reason: 'FieldValueRequired', detail: 'Required value' };
    }
    case 'type':
      return {
        field,
        reason: 'FieldValueInvalid',
        detail: `Invalid value: "${typeName(value)}": ${field} in body must be of type ${(e.params as { type: string }).type}: "${typeName(value)}"`,
      };
    case 'enum': {
      const allowed = (e.params as { allowedValues: Json[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return { field, reason: 'FieldValueNotSupported', detail: `Unsupported value: ${shown}: supported values: ${allowed}` };
    }
    default:
      return { field, reason: 'FieldValueInvalid', detail: `Invalid value: ${shown}: ${field} in body ${e.message ?? 'is invalid'}` };
  }
}

/** Validation errors of an (already pruned and defaulted) object; apiVersion/kind/metadata are kube's business. */
export function validate(obj: JsonObject, schema: JsonObject): FieldError[] {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  const { metadata: _metadata, ...rest } = obj;
  if (fn(rest)) return [];
  return (fn.errors ?? []).map((e) => toFieldError(e, rest));
}
