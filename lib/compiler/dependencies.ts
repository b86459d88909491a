import type { Cdk8sModule, CdkApiObject, CdkApp, CdkConstruct } from './cdk8s-types';

/**
 * Adds the dependencies cdk8s's App adds before it renders a chart (it does so for every chart; the
 * compiler once): a chart depends on the charts nested in it; constructs of two charts that depend on
 * each other make their charts do so; then every dependency, those just added included, makes each
 * API object under the dependent construct depend on each one under its dependency (each side's
 * objects of its own chart). The order of additions is cdk8s's, so rendering orders objects as it does.
 */
export function addImplicitDependencies(cdk8s: Cdk8sModule, app: CdkApp): void {
  const all = app.node.findAll();
  for (const parent of all.filter(cdk8s.Chart.isChart)) {
    for (const nested of parent.node.children.filter(cdk8s.Chart.isChart)) parent.node.addDependency(nested);
  }
  for (const { source, target } of explicitDependencies(all)) {
    const sourceChart = cdk8s.Chart.of(source);
    const targetChart = cdk8s.Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
  }
  const objectsUnder = ownChartObjects(cdk8s);
  for (const { source, target } of explicitDependencies(all)) {
    const targets = objectsUnder(target);
    for (const object of objectsUnder(source)) {
      for (const dependency of targets) if (dependency !== object) object.node.addDependency(dependency);
    }
  }
}

function explicitDependencies(all: readonly CdkConstruct[]): { source: CdkConstruct; target: CdkConstruct }[] {
  return all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
}

/** The API objects under a construct that belong to its chart (not to a chart nested in it), memoized. */
function ownChartObjects(cdk8s: Cdk8sModule): (c: CdkConstruct) => CdkApiObject[] {
  const memo = new Map<CdkConstruct, CdkApiObject[]>();
  return (c) => {
    let objects = memo.get(c);
    if (!objects) {
      const chart = cdk8s.Chart.of(c);
      objects = c.node.findAll().filter((o): o is CdkApiObject => cdk8s.ApiObject.isApiObject(o) && cdk8s.Chart.of(o) === chart);
      memo.set(c, objects);
    }
    return objects;
  };
}
