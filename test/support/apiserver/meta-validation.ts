/**
 * kube's ObjectMeta checks that catch real mistakes: object names (RFC 1123 subdomain, label for
 * Namespaces, RFC 1035 label for Services, path segment for RBAC), label keys and values, and
 * annotation keys. Messages are kube's, word for word.
 */
import { FieldError } from './errors';
import { ObjectMeta, ResourceType } from './types';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const full = (re: string): RegExp => new RegExp(`^${re}$`);

const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`;
const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`;
const DNS1035_MSG = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`;
const QUALIFIED_MSG = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}')`;
const VALUE_MSG = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE}')`;

function invalidValue(field: string, value: string, detail: string): FieldError {
  return { field, reason: 'FieldValueInvalid', detail: `Invalid value: "${value}": ${detail}` };
}

/** The problems with a name, as kube's name validators report them. */
function nameProblems(type: ResourceType, name: string): string[] {
  if (type.group === 'rbac.authorization.k8s.io') {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
    const bad = ['/', '%'].find((c) => name.includes(c));
    return bad ? [`may not contain '${bad}'`] : [];
  }
  if (type.plural === 'namespaces') return [...(name.length > 63 ? ['must be no more than 63 characters'] : []), ...(full(DNS1123_LABEL).test(name) ? [] : [LABEL_MSG])];
  if (type.group === '' && type.plural === 'services') return [...(name.length > 63 ? ['must be no more than 63 characters'] : []), ...(full(DNS1035_LABEL).test(name) ? [] : [DNS1035_MSG])];
  return [...(name.length > 253 ? ['must be no more than 253 characters'] : []), ...(full(DNS1123_SUBDOMAIN).test(name) ? [] : [SUBDOMAIN_MSG])];
}

/** A label or annotation key: optional DNS-subdomain prefix, a slash, a qualified name. */
function keyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const out: string[] = [];
  if (prefix !== undefined && (prefix.length === 0 || !full(DNS1123_SUBDOMAIN).test(prefix))) out.push(`prefix part ${SUBDOMAIN_MSG}`);
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !full(QUALIFIED_NAME).test(name)) out.push(QUALIFIED_MSG);
  return out;
}

export function validateObjectMeta(type: ResourceType, meta: ObjectMeta): FieldError[] {
  const errors: FieldError[] = [];
  const name = meta.name ?? '';
  for (const p of nameProblems(type, name)) errors.push(invalidValue('metadata.name', name, p));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    for (const p of keyProblems(key)) errors.push(invalidValue('metadata.labels', key, p));
    if (typeof value !== 'string') continue;
    if (value.length > 63) errors.push(invalidValue('metadata.labels', value, 'must be no more than 63 characters'));
    if (!full(LABEL_VALUE).test(value)) errors.push(invalidValue('metadata.labels', value, VALUE_MSG));
  }
  for (const key of Object.keys(meta.annotations ?? {})) {
    for (const p of keyProblems(key)) errors.push(invalidValue('metadata.annotations', key, p));
  }
  return errors;
}
