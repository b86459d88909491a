import { Chart, Testing } from 'cdk8s';
import { ImageStream, StreamRegistry, System } from '../../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, type BuildConfigProps } from '../../../../constructs/buildconfig';

/** Synthesized objects, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: any }; spec: Record<string, any>; [key: string]: any };

/** An app with a System (external registry) and a chart in `namespace` holding stream foo. */
export function seedChart(namespace = 'seed') {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
  const chart = new Chart(app, 'seed', { namespace });
  const foo = new ImageStream(chart, 'foo');
  return { app, chart, foo };
}

/** A Dockerfile BuildConfig of https://github.com/example/foo.git at `main` (props override). */
export function fooBuild(chart: Chart, foo: ImageStream, props: Partial<BuildConfigProps> = {}, id = 'foo-build') {
  return new BuildConfig(chart, id, {
    name: 'foo',
    source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' }),
    strategy: BuildStrategy.dockerfile({ from: 'docker.io/library/alpine:3.20' }),
    output: BuildOutput.imageStreamTag(foo.tag('latest')),
    triggers: [],
    ...props,
  });
}

export const synth = (chart: Chart) => Testing.synth(chart) as Manifest[];
export const find = (objects: Manifest[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
export const one = (objects: Manifest[], kind: string, name?: string) => {
  const found = find(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};
