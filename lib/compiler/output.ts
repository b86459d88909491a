import { inApplyOrder, toYamlStream } from './serialize';
import type { SynthesizedChart, SynthesizedObject } from './manifest';

/** One file per chart (cdk8s's default), or one file per object in a folder per chart. */
export type OutputLayout = 'chart' | 'resource';

/** The files an output folder must hold: relative path → content. Sorted by path. */
export type OutputFiles = ReadonlyMap<string, string>;

export const OUTPUT_EXTENSION = '.k8s.yaml';

export function planOutput(charts: readonly SynthesizedChart[], layout: OutputLayout): OutputFiles {
  const files = new Map<string, string>();
  for (const chart of charts) {
    const objects = inApplyOrder(chart.objects);
    if (layout === 'chart') {
      if (objects.length > 0) files.set(`${chart.name}${OUTPUT_EXTENSION}`, toYamlStream(objects.map((o) => o.manifest)));
    } else {
      objects.forEach((o) => files.set(`${chart.name}/${resourceFileName(o)}`, toYamlStream([o.manifest])));
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * `<rank>-<kind>-[<namespace>-]<name>.k8s.yaml`: the rank prefix keeps `kubectl apply -f DIR`
 * (which goes in file-name order) applying definitions before the objects that need them.
 */
function resourceFileName({ manifest: m }: SynthesizedObject): string {
  const rank = m.kind === 'CustomResourceDefinition' ? 0 : m.kind === 'Namespace' ? 1 : 2;
  const parts = [String(m.kind), m.metadata?.namespace, m.metadata?.name].filter((p) => p !== undefined && p !== '');
  return `${rank}-${parts.join('-').toLowerCase().replace(/[^a-z0-9.-]/g, '_')}${OUTPUT_EXTENSION}`;
}

/** All documents of all files as one multi-document YAML stream, in file order. */
export function asSingleStream(files: OutputFiles): string {
  return [...files.values()].join('---\n');
}
