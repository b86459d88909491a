import type { Diagnostic } from './diagnostics';
import { nameProblem } from './names';
import { describeObject, objectKey, type SynthesizedChart, type SynthesizedObject } from './manifest';

/**
 * Checks the synthesized objects of the whole app and returns every problem at once: each object has
 * apiVersion, kind and metadata.name; names are valid for their kind; no object is defined twice.
 */
export function validateObjects(charts: readonly SynthesizedChart[]): Diagnostic[] {
  const all = charts.flatMap((c) => c.objects);
  return [...all.flatMap(objectProblems), ...duplicateProblems(all)];
}

function objectProblems({ manifest: m, constructPath }: SynthesizedObject): Diagnostic[] {
  const problems: string[] = [];
  if (typeof m.apiVersion !== 'string' || m.apiVersion === '') problems.push('has no apiVersion');
  if (typeof m.kind !== 'string' || m.kind === '') problems.push('has no kind');
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name === '') problems.push('has no metadata.name');
  else if (typeof m.apiVersion === 'string' && typeof m.kind === 'string') {
    const problem = nameProblem(m.apiVersion, m.kind, name);
    if (problem) problems.push(problem);
  }
  return problems.map((p) => ({ text: `${describeObject(m)} ${p}`, constructPath }));
}

function duplicateProblems(objects: readonly SynthesizedObject[]): Diagnostic[] {
  const byKey = new Map<string, SynthesizedObject[]>();
  for (const o of objects) byKey.set(objectKey(o.manifest), [...(byKey.get(objectKey(o.manifest)) ?? []), o]);
  const problems: Diagnostic[] = [];
  for (const same of byKey.values()) {
    if (same.length < 2) continue;
    const paths = same.map((o) => o.constructPath);
    problems.push({
      text: `${describeObject(same[0].manifest)} is defined ${same.length} times: ${paths.map((p) => `[${p}]`).join(', ')}`,
      constructPath: paths[0],
      notes: ['give each object its own metadata.name, or put them in different namespaces'],
    });
  }
  return problems;
}
