import { UserError } from './diagnostics';
import type { LoadedApp } from './run';
import type { CdkApiObject, CdkChart } from './cdk8s-types';
import { addImplicitDependencies } from './dependencies';
import type { Manifest, SynthesizedChart, SynthesizedObject } from './manifest';
import { validateApp } from './validate-tree';

/**
 * Synthesizes the app as cdk8s does, in one pass over it: every `node.addValidation()` problem is
 * reported at once with its construct path, then each chart renders its objects in dependency order,
 * each paired with the path of the construct that made it.
 */
export function collectCharts({ app, cdk8s }: LoadedApp): SynthesizedChart[] {
  const problems = validateApp(app);
  if (problems.length > 0) throw new UserError(problems);
  // Charts in the order of their own dependencies, read before the implicit ones are added (as before).
  const charts = app.charts;
  addImplicitDependencies(cdk8s, app);
  return charts.map((chart) => ({ name: cdk8s.Names.toDnsLabel(chart), objects: renderChart({ app, cdk8s }, chart) }));
}

/** The chart's own API objects (not those of charts nested in it), in dependency order, as cdk8s renders them. */
function renderChart({ cdk8s }: LoadedApp, chart: CdkChart): SynthesizedObject[] {
  const objects = new cdk8s.DependencyGraph(chart.node).topology()
    .filter((c): c is CdkApiObject => cdk8s.ApiObject.isApiObject(c) && cdk8s.Chart.of(c) === chart);
  return objects.map((object) => ({ manifest: render(object), constructPath: object.node.path }));
}

function render(object: CdkApiObject): Manifest {
  try {
    return object.toJson() as Manifest;
  } catch (e) {
    throw UserError.of(e instanceof Error ? e.message : String(e), { constructPath: object.node.path });
  }
}
