/**
 * Name formats kube-apiserver enforces per kind (k8s.io/apimachinery validation): most kinds take a
 * DNS-1123 subdomain, some a DNS-1123 label, Services a DNS-1035 label, RBAC objects a path segment.
 */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const RULE_BY_KIND: Record<string, NameRule> = {
  Namespace: 'label',
  Service: 'dns1035',
  Role: 'path-segment',
  RoleBinding: 'path-segment',
  ClusterRole: 'path-segment',
  ClusterRoleBinding: 'path-segment',
};

/** Kinds whose names end up in labels or in generated names, so Kubernetes caps them shorter. */
const MAX_LENGTH_BY_KIND: Record<string, number> = { CronJob: 52, Job: 63, Namespace: 63, Service: 63 };
const TEKTON_MAX = 63;

export function nameRuleFor(kind: string): NameRule {
  return RULE_BY_KIND[kind] ?? 'subdomain';
}

/** Why `name` is not a valid name for `kind` in `apiVersion`, or undefined when it is. */
export function nameProblem(apiVersion: string, kind: string, name: string): string | undefined {
  const rule = nameRuleFor(kind);
  const max = MAX_LENGTH_BY_KIND[kind] ?? (apiVersion.startsWith('tekton.dev/') ? TEKTON_MAX : ruleMax(rule));
  if (name.length > max) return `name "${name}" is ${name.length} characters long; a ${kind} name has at most ${max}`;
  if (!matches(rule, name)) return `name "${name}" is not a valid ${kind} name: ${ruleText(rule)}`;
  return undefined;
}

function ruleMax(rule: NameRule): number {
  return rule === 'subdomain' || rule === 'path-segment' ? 253 : 63;
}

function matches(rule: NameRule, name: string): boolean {
  switch (rule) {
    case 'label': return LABEL.test(name);
    case 'dns1035': return DNS1035.test(name);
    case 'subdomain': return SUBDOMAIN.test(name);
    case 'path-segment': return name !== '.' && name !== '..' && name.length > 0 && !/[/%]/.test(name);
  }
}

function ruleText(rule: NameRule): string {
  switch (rule) {
    case 'label': return 'use lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)';
    case 'dns1035': return 'use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (DNS-1035 label)';
    case 'subdomain': return 'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (DNS-1123 subdomain)';
    case 'path-segment': return 'it may not be "." or ".." nor contain "/" or "%"';
  }
}
