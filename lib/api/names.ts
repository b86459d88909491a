import { createHash } from 'node:crypto';

/**
 * The name formats Kubernetes enforces (k8s.io/apimachinery's validation) and the tag grammar of
 * the distribution spec: the one copy every side checks names with.
 */
export type NameRule = 'label' | 'subdomain' | 'dns1035' | 'path-segment';

const DNS1123_LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
/** For CRD schemas (the pattern of a DNS-1123 label, without its length). */
export const DNS1123_LABEL_PATTERN = `^${DNS1123_LABEL}$`;
const DNS1123_LABEL_RE = new RegExp(DNS1123_LABEL_PATTERN);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL}(?:\\.${DNS1123_LABEL})*$`);
const DNS1035_LABEL_RE = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;
/** A label value: empty, or alphanumerics at both ends with '-', '_' and '.' between. */
const LABEL_VALUE_RE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** A tag (distribution spec): `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
const TAG_RE = /^\w[\w.-]{0,127}$/;

export const MAX_LABEL_LENGTH = 63;
export const MAX_SUBDOMAIN_LENGTH = 253;
export const MAX_LABEL_VALUE_LENGTH = 63;

/** A DNS-1123 label: Namespaces, and names that become label values or hostnames. */
export const isDnsLabel = (name: string): boolean => name.length <= MAX_LABEL_LENGTH && DNS1123_LABEL_RE.test(name);
/** A DNS-1123 subdomain: the name of most kinds (Secrets, ConfigMaps, ImageStreams …). */
export const isDnsSubdomain = (name: string): boolean => name.length <= MAX_SUBDOMAIN_LENGTH && DNS1123_SUBDOMAIN_RE.test(name);
/** A DNS-1035 label: Service names. */
export const isDns1035Label = (name: string): boolean => name.length <= MAX_LABEL_LENGTH && DNS1035_LABEL_RE.test(name);
export const isLabelValue = (value: string): boolean => value.length <= MAX_LABEL_VALUE_LENGTH && LABEL_VALUE_RE.test(value);
export const isTagName = (tag: string): boolean => TAG_RE.test(tag);

/** Whether `name` matches `rule`'s pattern (lengths are the caller's, as they differ by kind). */
export function matchesRule(rule: NameRule, name: string): boolean {
  switch (rule) {
    case 'label': return DNS1123_LABEL_RE.test(name);
    case 'subdomain': return DNS1123_SUBDOMAIN_RE.test(name);
    case 'dns1035': return DNS1035_LABEL_RE.test(name);
    case 'path-segment': return name !== '.' && name !== '..' && name.length > 0 && !/[/%]/.test(name);
  }
}

/** What a good name of `rule` looks like, for error messages. */
export function ruleText(rule: NameRule): string {
  switch (rule) {
    case 'label': return 'use lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)';
    case 'subdomain': return 'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (DNS-1123 subdomain)';
    case 'dns1035': return 'use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (DNS-1035 label)';
    case 'path-segment': return 'it may not be "." or ".." nor contain "/" or "%"';
  }
}

/** What a namespace name looks like, for error messages. */
export const NAMESPACE_NAME_TEXT = "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label)";

export const TAG_NAME_TEXT = "use letters, digits, '_', '.' and '-', starting with a letter, digit or '_', at most 128 characters";

/**
 * `${base}${suffix}` when it fits in `max` characters, else `base` shortened with a stable hash of
 * the whole name, so that long stream names still give valid, unique, deterministic object names.
 */
export function boundedName(base: string, suffix: string, max: number): string {
  const full = `${base}${suffix}`;
  if (full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const keep = max - suffix.length - hash.length - 1;
  return `${base.slice(0, keep).replace(/[-.]+$/, '')}-${hash}${suffix}`;
}

/**
 * `value` as a label value: itself when it is one, else shortened with a stable hash of the whole
 * (a stream's name may be 253 characters long; a label value at most 63).
 */
export function boundedLabelValue(value: string): string {
  return isLabelValue(value) ? value : boundedName(value, '', MAX_LABEL_VALUE_LENGTH);
}

const QUALIFIED_NAME_RE = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label (or annotation) key: `[prefix/]name`, the prefix a DNS-1123 subdomain, the name at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && QUALIFIED_NAME_RE.test(name);
}

export const LABEL_KEY_TEXT = "a label key is an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, e.g. 'kubernetes.io/arch'";
export const LABEL_VALUE_TEXT = "a label value is at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)";
