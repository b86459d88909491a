import { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue, LABEL_KEY_TEXT, LABEL_VALUE_TEXT, NAMESPACE_NAME_TEXT } from '../lib/api/names';
import { checkString, optionalStringMap, type At } from './_input';

/** A namespace name given as `prop`: a DNS-1123 label, or a clear error. */
export function checkNamespace(at: At, prop: string, value: unknown): string {
  const name = checkString(at, prop, value, "'team-a'");
  if (!isDnsLabel(name)) throw new Error(`${at} '${prop}' (${name}) is not a namespace name: ${NAMESPACE_NAME_TEXT}`);
  return name;
}

/** The name of an object (a Secret, ServiceAccount, ConfigMap …) given as `prop`: a DNS-1123 subdomain. */
export function checkObjectName(at: At, prop: string, value: unknown, kind = 'Secret'): string {
  const name = checkString(at, prop, value, `the name of a ${kind}`);
  if (!isDnsSubdomain(name)) {
    throw new Error(`${at} '${prop}' (${name}) must be the name of a ${kind}: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  return name;
}

/**
 * The namespace of a construct whose props may name one (`value`), else its chart's: either is
 * checked, and a missing one is an error naming both places to set it.
 */
export function namespaceOf(scope: IConstruct, value: unknown, what: string): string {
  const at = `[${scope.node.path}]`;
  if (value !== undefined) return checkNamespace(at, 'namespace', value);
  const chart = chartOf(scope, what);
  const namespace = chart.namespace;
  if (namespace === undefined) throw new Error(`${at} ${what} needs a namespace: set the 'namespace' prop or the chart's namespace`);
  if (!isDnsLabel(namespace)) {
    throw new Error(`${at} the namespace of chart '${chart.node.path}' (${namespace}) is not a namespace name: ${NAMESPACE_NAME_TEXT}; fix the chart's 'namespace', or set this construct's 'namespace' prop`);
  }
  return namespace;
}

function chartOf(scope: IConstruct, what: string): Chart {
  try {
    return Chart.of(scope);
  } catch {
    throw new Error(`[${scope.node.path}] ${what} must be inside a Chart: create it in one, e.g. new Chart(app, 'apps', { namespace: 'apps' })`);
  }
}

/** A map of label keys to label values (a nodeSelector, pod labels …): each key and value checked. */
export function optionalLabels(at: At, prop: string, value: Readonly<Record<string, string>> | undefined, example: string): Record<string, string> | undefined {
  const labels = optionalStringMap(at, prop, value, example);
  for (const [key, v] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) throw new Error(`${at} '${prop}' has the key ${JSON.stringify(key)}, which is no label key: ${LABEL_KEY_TEXT}`);
    if (!isLabelValue(v)) throw new Error(`${at} '${prop}.${key}' (${JSON.stringify(v)}) is no label value: ${LABEL_VALUE_TEXT}`);
  }
  return labels;
}
