import { ApiObject, Chart, Testing, type App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream, StreamRegistry, System, type SystemProps } from '../../../constructs';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

const REGISTRY = StreamRegistry.external({ host: 'registry.test', pushSecret: 'registry-push' });

/** An app using namespaces every way: chart namespaces, an explicit one, a build namespace, built-in and cluster-scoped objects. */
function appWithNamespaces(props: SystemProps = {}): { app: App; system: System } {
  const app = Testing.app();
  const system = new System(app, 'imagestreams', { registry: REGISTRY, ...props });
  const web = new Chart(app, 'web', { namespace: 'web' });
  new ApiObject(web, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
  const builds = new Chart(app, 'builds', { namespace: 'builds' });
  const foo = new ImageStream(builds, 'foo');
  new BuildConfig(builds, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' }),
    strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.imageStreamTag(foo.tag('latest')),
  });
  const misc = new Chart(app, 'misc');
  new ApiObject(misc, 'explicit', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'explicit' } });
  new ApiObject(misc, 'in-default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'default' } });
  // A cluster-scoped object in a namespaced chart: cdk8s stamps the namespace on it, which places nothing.
  new ApiObject(new Chart(app, 'cluster', { namespace: 'only-cluster-scoped' }), 'role', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [],
  });
  return { app, system };
}

function synthAll(app: App): Obj[] {
  return app.charts.flatMap((chart) => chart.toJson() as Obj[]);
}

/** The Namespaces the System emits: `name [level]`. */
function emitted(system: System): string[] {
  return (Testing.synth(system) as Obj[])
    .filter((o) => o.kind === 'Namespace')
    .map((o) => `${o.metadata.name} ${o.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? '-'}`);
}

describe('the Namespaces the System emits', () => {
  it('is one for every namespace an object of the app is in, labelled for Pod Security where builds or the System run', () => {
    // GIVEN an app with objects in web, builds (a BuildConfig), explicit, default and the system namespace
    const { app, system } = appWithNamespaces();
    const all = synthAll(app);
    // THEN each namespace in use has its Namespace: baseline where builds run, restricted for the System's, none elsewhere
    expect(emitted(system)).toEqual(['builds baseline', 'explicit -', 'imagestreams-system restricted', 'web -']);
    // AND every namespaced object's namespace has a Namespace in the output (built-in ones aside)
    const namespaces = new Set(all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const used = new Set(all.filter((o) => o.kind !== 'ClusterRole' && o.metadata.namespace).map((o) => o.metadata.namespace!));
    expect([...used].filter((ns) => !namespaces.has(ns) && ns !== 'default')).toEqual([]);
  });

  it('comes first in the System chart, so that a plain apply of it creates each namespace before what goes in it', () => {
    const { app, system } = appWithNamespaces();
    synthAll(app);
    const kinds = (Testing.synth(system) as Obj[]).map((o) => o.kind);
    expect(kinds.slice(0, 4)).toEqual(['Namespace', 'Namespace', 'Namespace', 'Namespace']);
    expect(kinds.slice(4)).not.toContain('Namespace');
  });

  it('leaves out namespaces the app defines itself, and external ones', () => {
    const { app, system } = appWithNamespaces({ externalNamespaces: ['explicit'] });
    new ApiObject(new Chart(app, 'own'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { team: 'web' } } });
    const all = synthAll(app);
    expect(emitted(system)).toEqual(['builds baseline', 'imagestreams-system restricted']);
    expect(all.filter((o) => o.kind === 'Namespace' && o.metadata.name === 'web')).toEqual([
      expect.objectContaining({ metadata: { name: 'web', labels: { team: 'web' } } }),
    ]);
  });

  it('is only the System\'s own with createAppNamespaces: false, and none with createNamespace: false too', () => {
    const only = appWithNamespaces({ createAppNamespaces: false });
    synthAll(only.app);
    expect(emitted(only.system)).toEqual(['imagestreams-system restricted']);
    const none = appWithNamespaces({ createAppNamespaces: false, createNamespace: false });
    synthAll(none.app);
    expect(emitted(none.system)).toEqual([]);
    const appOnly = appWithNamespaces({ createNamespace: false });
    synthAll(appOnly.app);
    expect(emitted(appOnly.system)).toEqual(['builds baseline', 'explicit -', 'web -']);
  });

  it('labels the System\'s namespace baseline when builds run there too', () => {
    const { app, system } = appWithNamespaces({ namespace: 'builds' });
    synthAll(app);
    expect(emitted(system)).toEqual(['builds baseline', 'explicit -', 'web -']);
  });

  it('refuses an external namespace that is not a namespace name', () => {
    expect(() => new System(Testing.app(), 'imagestreams', { externalNamespaces: ['Team_A'] })).toThrowError(
      "[imagestreams] 'externalNamespaces' holds 'Team_A', which is not a namespace name: use at most 63 lower-case letters, digits and '-'",
    );
  });
});
