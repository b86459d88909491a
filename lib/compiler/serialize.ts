import { emitYaml } from './yaml-emitter';
import type { Manifest } from './manifest';

/** Keys that read best first; every other key follows in code-point order. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

/**
 * A copy of `value` with a canonical key order and no undefined values, so that output does not
 * depend on the order in which constructs happened to set fields.
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => compareKeys(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonicalize(v)]));
}

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rank in apply order: definitions before the objects that need them. */
function applyRank(m: Manifest): number {
  if (m.kind === 'CustomResourceDefinition') return 0;
  if (m.kind === 'Namespace') return 1;
  return 2;
}

/** Stable: CustomResourceDefinitions, then Namespaces, then the rest in cdk8s's dependency order. */
export function inApplyOrder<T extends { manifest: Manifest }>(objects: readonly T[]): T[] {
  return objects.map((o, i) => ({ o, i }))
    .sort((a, b) => applyRank(a.o.manifest) - applyRank(b.o.manifest) || a.i - b.i)
    .map(({ o }) => o);
}

/**
 * One multi-document YAML stream. Quoted so that YAML 1.1 (kubectl) reads it as YAML 1.2 does (`on`,
 * `yes` and `0777` stay strings); no line folding, no anchors, LF line endings.
 */
export function toYamlStream(manifests: readonly Manifest[]): string {
  return manifests.map((m) => emitYaml(canonicalize(m))).join('---\n');
}
