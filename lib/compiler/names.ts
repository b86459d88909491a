import { matchesRule, ruleText, type NameRule } from '../api/names';

/**
 * Name formats kube-apiserver enforces per kind (k8s.io/apimachinery validation): most kinds take a
 * DNS-1123 subdomain, some a DNS-1123 label, Services a DNS-1035 label, RBAC objects a path segment.
 */
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
  if (!matchesRule(rule, name)) return `name "${name}" is not a valid ${kind} name: ${ruleText(rule)}`;
  return undefined;
}

function ruleMax(rule: NameRule): number {
  return rule === 'subdomain' || rule === 'path-segment' ? 253 : 63;
}
