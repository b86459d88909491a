import { UserError } from './diagnostics';
import { DEFINITIONS_DIR, isDefinition, RESOURCES_DIR, withSyncWave } from './install-phases';
import { inApplyOrder, toYamlStream } from './serialize';
import type { SynthesizedChart, SynthesizedObject } from './manifest';

/** One file per chart (cdk8s's default), or one file per object; in both, two flat folders. */
export type OutputLayout = 'chart' | 'resource';

/** The files an output folder must hold: relative path → content. Sorted by path. */
export type OutputFiles = ReadonlyMap<string, string>;

export const OUTPUT_EXTENSION = '.k8s.yaml';

/**
 * `00-definitions/` (CustomResourceDefinitions and Namespaces, with Argo CD's sync wave -1) and
 * `01-resources/` (the rest). Each folder is flat, so `kubectl apply -f FOLDER` reads every file:
 * `<chart>.k8s.yaml` for the chart layout, `<chart>.<kind>.[<namespace>.]<name>.k8s.yaml` for the
 * resource layout.
 */
export function planOutput(charts: readonly SynthesizedChart[], layout: OutputLayout): OutputFiles {
  const files = new Map<string, { content: string; paths: string[] }>();
  const add = (path: string, objects: readonly SynthesizedObject[]) => {
    const taken = files.get(path);
    if (taken) throw sameFile(path, [...taken.paths, ...objects.map((o) => o.constructPath)]);
    files.set(path, { content: toYamlStream(objects.map((o) => o.manifest)), paths: objects.map((o) => o.constructPath) });
  };
  for (const chart of charts) {
    const objects = inApplyOrder(chart.objects);
    const definitions = objects.filter((o) => isDefinition(o.manifest)).map((o) => ({ ...o, manifest: withSyncWave(o.manifest) }));
    const resources = objects.filter((o) => !isDefinition(o.manifest));
    for (const [dir, group] of [[DEFINITIONS_DIR, definitions], [RESOURCES_DIR, resources]] as const) {
      if (layout === 'chart') {
        if (group.length > 0) add(`${dir}/${chart.name}${OUTPUT_EXTENSION}`, group);
      } else {
        for (const o of group) add(`${dir}/${chart.name}.${resourceStem(o)}${OUTPUT_EXTENSION}`, [o]);
      }
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, f]) => [path, f.content]));
}

/** `<kind>.[<namespace>.]<name>`, lower-case, with characters file systems or shells mind replaced. */
function resourceStem({ manifest: m }: SynthesizedObject): string {
  const parts = [String(m.kind), m.metadata?.namespace, m.metadata?.name].filter((p) => p !== undefined && p !== '');
  return parts.join('.').toLowerCase().replace(/[^a-z0-9.-]/g, '_');
}

function sameFile(path: string, constructPaths: readonly string[]): UserError {
  return UserError.of(`${constructPaths.map((p) => `[${p}]`).join(' and ')} would both be written to ${path}`, {
    constructPath: constructPaths[0],
    notes: ['objects of two API groups with the same kind, namespace and name: rename one, or use --layout chart'],
  });
}

/** All documents of all files as one multi-document YAML stream, in file order (definitions first). */
export function asSingleStream(files: OutputFiles): string {
  return [...files.values()].join('---\n');
}
