import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream, StreamRegistry, System } from '../../constructs';
import { validateManifests } from '../support/validate-manifests';

// Property: whatever a user passes to ImageStream (name, namespace, historyLimit, pullSecrets, a tag
// and its import options) or BuildConfig (name, nodeSelector, run policy, limits, timeout, service
// account, base and output), each drawn from good values, near misses and wrong types, the app either
// synthesizes manifests that pass ../shared/tools/validate-manifests (run once on all of them), or
// fails with a located error (construct path, prop) that is no internal error.
const INTERNAL = /TypeError|ReferenceError|Cannot read propert|is not a function|internal error/;
const LOCATED = /^(?:Validation failed with the following errors:\n\s+)?\[[^\]]+\] /;
const RUNS = 60;

const name = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/), weight: 6 }, fc.string({ maxLength: 12 }), fc.constant('a'.repeat(100)), fc.constant('a'.repeat(254)));
const namespace = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/), weight: 6 }, fc.string({ maxLength: 8 }), fc.constant('a'.repeat(64)), fc.integer());
const props = fc.record({
  name,
  namespace,
  historyLimit: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 50 }), weight: 6 }, fc.integer({ min: -2, max: 1100 }), fc.constant('5')),
  pullSecrets: fc.oneof({ arbitrary: fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: 2 }), weight: 6 }, fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }), fc.constant('hub')),
}, { requiredKeys: ['name'] });
const tagOptions = fc.record({
  tag: fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), weight: 6 }, fc.string({ maxLength: 6 })),
  from: fc.oneof({ arbitrary: fc.constantFrom('nginx:1.27', 'quay.io/org/app:1', 'ghcr.io/acme/web:v2'), weight: 6 }, fc.string({ maxLength: 10 })),
  interval: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 120 }).map((m) => Duration.minutes(m)), weight: 6 }, fc.integer({ min: 1, max: 100 }), fc.constant(undefined)),
  scheduled: fc.oneof({ arbitrary: fc.boolean(), weight: 6 }, fc.constant('no')),
});

describe('ImageStream props (property)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-props-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let synthesized = 0;
  const builds: string[] = [];

  it(`synthesizes valid manifests or fails with a located error (${RUNS} runs)`, () => {
    fc.assert(fc.property(props, tagOptions, (p, t) => {
      const app = Testing.app();
      new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com' }) });
      const chart = new Chart(app, 'apps', { namespace: `team-${synthesized}` });
      let objects: unknown[];
      try {
        const stream = new ImageStream(chart, 's', p as never);
        stream.importTag(t.tag, { from: t.from, interval: t.interval as never, scheduled: t.scheduled as never });
        // The System (CRDs, runtime) once: the validator counts a second copy as duplicates.
        objects = app.charts.filter((c) => synthesized === 0 || !System.isSystem(c)).flatMap((c) => Testing.synth(c));
      } catch (e) {
        const message = (e as Error).message;
        expect(message).not.toMatch(INTERNAL);
        expect(message).toMatch(LOCATED);
        return;
      }
      writeFileSync(join(dir, `run-${synthesized++}.k8s.yaml`), objects.map((o) => stringify(o)).join('---\n'));
    }), { numRuns: RUNS, seed: 13 });
  });

  const labelKey = fc.oneof({ arbitrary: fc.constantFrom('kubernetes.io/arch', 'node.example.com/pool', 'gpu'), weight: 4 }, fc.string({ maxLength: 8 }), fc.constant(`x/${'a'.repeat(64)}`));
  const labelValue = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,20}[a-z0-9])?$/), weight: 4 }, fc.string({ maxLength: 8 }), fc.boolean());
  const buildProps = fc.record({
    name: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/), weight: 6 }, fc.string({ maxLength: 10 }), fc.constant('a'.repeat(64))),
    nodeSelector: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, fc.dictionary(labelKey, labelValue, { maxKeys: 2 })),
    runPolicy: fc.oneof({ arbitrary: fc.constantFrom('Serial', 'Parallel', 'SerialLatestOnly', undefined), weight: 6 }, fc.constant('Queued')),
    failedBuildsHistoryLimit: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 20 }), weight: 6 }, fc.integer({ min: -3, max: 2000 }), fc.constant('5')),
    timeout: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 120 }).map((m) => Duration.minutes(m)), weight: 6 }, fc.integer({ min: 0, max: 600 })),
    serviceAccount: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 6 })),
  }, { requiredKeys: ['name'] });
  const base = fc.oneof({ arbitrary: fc.constantFrom('jdk8:latest', 'docker.io/library/alpine:3.20', 'stream', undefined), weight: 6 }, fc.constantFrom('alpine', 'jdk8:nope', 'other:1'), fc.string({ maxLength: 8 }));
  const output = fc.constantFrom('stream', 'registry.example.com/team/web:1', 'registry.example.com/team/web', 'web:latest');

  it(`BuildConfig props: synthesizes valid manifests or fails with a located error (${RUNS} runs)`, () => {
    fc.assert(fc.property(buildProps, base, output, (p, from, to) => {
      const app = Testing.app();
      new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
      const chart = new Chart(app, 'apps', { namespace: `build-${synthesized}` });
      let objects: unknown[];
      try {
        const jdk8 = new ImageStream(chart, 'jdk8');
        jdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
        const web = new ImageStream(chart, 'web');
        new BuildConfig(chart, 'b', {
          ...(p as object),
          source: BuildSource.git({ uri: 'https://github.com/example/web.git' }),
          strategy: BuildStrategy.dockerfile({ from: from === 'stream' ? jdk8.tag('latest') : from }),
          output: to === 'stream' ? BuildOutput.imageStreamTag(web.tag('latest')) : BuildOutput.image(to),
        } as never);
        objects = app.charts.filter((c) => synthesized === 0 || !System.isSystem(c)).flatMap((c) => Testing.synth(c));
      } catch (e) {
        const message = (e as Error).message;
        expect(message).not.toMatch(INTERNAL);
        expect(message).toMatch(/^(?:Validation failed with the following errors:\n\s+)?(?:\[[^\]]+\] |[A-Za-z]+\.[A-Za-z]+\(\): |'[^']+' is not a tag of its stream)/);
        return;
      }
      const file = join(dir, `run-${synthesized++}.k8s.yaml`);
      writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      builds.push(file);
    }), { numRuns: RUNS, seed: 13 });
  });

  it('what synthesized passes validate-manifests', async () => {
    expect(builds.length).toBeGreaterThan(0);
    expect(synthesized).toBeGreaterThan(builds.length);
    // tekton-lint takes same-named Tasks of different namespaces for duplicates: every run without
    // it, then the System and the first build's Pipeline and Tasks with it.
    for (const [paths, flags] of [[[dir], ['--no-tekton-lint']], [[join(dir, 'run-0.k8s.yaml'), builds[0]], []]] as const) {
      const result = await validateManifests(paths, flags);
      expect(result.output.split('\n').filter((l) => / error: /.test(l)).slice(0, 8)).toEqual([]);
      expect(result.output).toMatch(/: 0 errors, /);
      expect(result.code).toBe(0);
    }
  }, 600_000);
});
