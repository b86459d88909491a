/**
 * Objects synthesized by the constructs, for tests of the runtime, the CLI and the controller: what
 * they read is what `imagestreams synth` writes, never hand-written JSON that can drift from it.
 */
import { type App, Chart, Testing } from 'cdk8s';
import { StreamRegistry, System, type SystemProps } from '../../constructs';
import type { KubeObject } from '../../lib/api/kube-object';

/** A synthesized object, loosely typed for assertions and for creating it in a cluster. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = KubeObject & { metadata: { name: string; namespace?: string }; spec?: any; [key: string]: any };

export interface SynthesizedApp {
  readonly objects: readonly Manifest[];
  /** Every object of `kind` (and `name`). */
  find(kind: string, name?: string): Manifest[];
  /** The one object of `kind` (and `name`); throws when there are none or several. */
  one(kind: string, name?: string): Manifest;
}

export interface AppScope {
  readonly app: App;
  readonly system: System;
  /** A chart in `namespace` (one per namespace). */
  chart(namespace: string): Chart;
}

/** A registry behind streams that tests can name: pushes to registry.test/<ns>/<stream>. */
export const TEST_REGISTRY = () => StreamRegistry.external({ host: 'registry.test', pushSecret: 'registry-push' });

/** Builds an app with a System (registry.test behind streams unless `system` says otherwise) and synthesizes every chart. */
export function synthApp(build: (scope: AppScope) => void, system: SystemProps = { registry: TEST_REGISTRY() }): SynthesizedApp {
  const app = Testing.app();
  const charts = new Map<string, Chart>();
  const scope: AppScope = {
    app,
    system: new System(app, 'imagestreams', system),
    chart: (namespace) => {
      if (!charts.has(namespace)) charts.set(namespace, new Chart(app, namespace, { namespace }));
      return charts.get(namespace)!;
    },
  };
  build(scope);
  return synthesized(app.charts.flatMap((chart) => chart.toJson() as Manifest[]));
}

export function synthesized(objects: Manifest[]): SynthesizedApp {
  const find = (kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  return {
    objects,
    find,
    one(kind, name) {
      const found = find(kind, name);
      if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
      return found[0];
    },
  };
}
