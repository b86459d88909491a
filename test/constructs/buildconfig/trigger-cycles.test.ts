import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';

function setup() {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com' }) });
  const chart = new Chart(app, 'apps', { namespace: 'apps' });
  return { app, chart };
}
const git = (name: string) => BuildSource.git({ uri: `https://github.com/example/${name}.git`, ref: 'main' });

describe('build trigger cycles', () => {
  it("reports a chain that triggers itself (A's output is B's base, B's output is A's base), printing the cycle once", () => {
    // GIVEN
    const { app, chart } = setup();
    const a = new ImageStream(chart, 'a');
    const b = new ImageStream(chart, 'b');
    new BuildConfig(chart, 'build-a', { name: 'build-a', source: git('a'), strategy: BuildStrategy.dockerfile({ from: b.tag('latest') }), output: BuildOutput.imageStreamTag(a.tag('latest')) });
    new BuildConfig(chart, 'build-b', { name: 'build-b', source: git('b'), strategy: BuildStrategy.dockerfile({ from: a.tag('latest') }), output: BuildOutput.imageStreamTag(b.tag('latest')) });
    // WHEN / THEN
    const message = (() => { try { app.synth(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message.match(/triggers itself/g)).toHaveLength(1);
    expect(() => app.synth()).toThrowError(
      'Validation failed with the following errors:\n  [apps/build-a] this build triggers itself through its output: BuildConfig apps/build-a -> apps/a:latest -> BuildConfig apps/build-b -> apps/b:latest -> BuildConfig apps/build-a. Remove an image-change trigger or an alias of the chain',
    );
  });

  it('follows aliases on the way round', () => {
    const { app, chart } = setup();
    const app1 = new ImageStream(chart, 'app');
    app1.aliasTag('base', app1.tag('latest'));
    new BuildConfig(chart, 'self', { name: 'self', source: git('self'), strategy: BuildStrategy.dockerfile({ from: app1.tag('base') }), output: BuildOutput.imageStreamTag(app1.tag('latest')) });
    expect(() => app.synth()).toThrowError('BuildConfig apps/self -> apps/app:latest -> apps/app:base -> BuildConfig apps/self.');
  });

  it('accepts a chain without a way back (base → many apps)', () => {
    const { app, chart } = setup();
    const base = new ImageStream(chart, 'base');
    base.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
    for (const name of ['one', 'two']) {
      const out = new ImageStream(chart, name);
      new BuildConfig(chart, `build-${name}`, { name: `build-${name}`, source: git(name), strategy: BuildStrategy.dockerfile({ from: base.tag('latest') }), output: BuildOutput.imageStreamTag(out.tag('latest')) });
    }
    expect(() => app.synth()).not.toThrow();
  });
});
