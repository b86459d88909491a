import { UserError, type Diagnostic } from './diagnostics';
import type { LoadedApp } from './run';
import type { CdkApiObject, CdkChart } from './cdk8s-types';
import { objectKey, type Manifest, type SynthesizedChart, type SynthesizedObject } from './manifest';

/**
 * Runs cdk8s's synthesis for every chart of the app: every `node.addValidation()` problem is reported
 * at once with its construct path (as cdk8s does), then each chart renders its objects in dependency
 * order, each paired with the path of the construct that made it.
 */
export function collectCharts(loaded: LoadedApp): SynthesizedChart[] {
  const problems = validateTree(loaded);
  if (problems.length > 0) throw new UserError(problems);
  return loaded.app.charts.map((chart) => ({
    name: loaded.cdk8s.Names.toDnsLabel(chart),
    objects: renderChart(loaded, chart),
  }));
}

function validateTree({ app }: LoadedApp): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const construct of app.node.findAll()) {
    for (const text of construct.node.validate()) problems.push({ text, constructPath: construct.node.path });
  }
  return problems;
}

function renderChart({ cdk8s }: LoadedApp, chart: CdkChart): SynthesizedObject[] {
  let manifests: Manifest[];
  try {
    manifests = chart.toJson() as Manifest[];
  } catch (e) {
    throw UserError.of(e instanceof Error ? e.message : String(e), { constructPath: chart.node.path });
  }
  const paths = pathsByKey(cdk8s.ApiObject.isApiObject, cdk8s.Chart.of, chart);
  return manifests.map((manifest) => ({
    manifest,
    constructPath: paths.get(objectKey(manifest))?.shift() ?? chart.node.path,
  }));
}

/** The construct paths of a chart's own API objects, by object identity (queued, for duplicates). */
function pathsByKey(
  isApiObject: (x: unknown) => x is CdkApiObject,
  chartOf: (c: CdkApiObject) => CdkChart,
  chart: CdkChart,
): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const c of chart.node.findAll()) {
    if (!isApiObject(c) || chartOf(c) !== chart) continue;
    const key = objectKey({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name, namespace: c.metadata.namespace } });
    byKey.set(key, [...(byKey.get(key) ?? []), c.node.path]);
  }
  return byKey;
}
