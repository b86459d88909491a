import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ImageStream, StreamRegistry, System } from '../../constructs';
import { validateManifests } from '../support/validate-manifests';

// Property: whatever a user passes to ImageStream (name, namespace, historyLimit, pullSecrets, a tag
// and its import options, each drawn from good values, near misses and wrong types), the app either
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

  it('what synthesized passes validate-manifests', async () => {
    expect(synthesized).toBeGreaterThan(0);
    const result = await validateManifests([dir], []);
    expect(result.output).toMatch(/: 0 errors, /);
    expect(result.code).toBe(0);
  }, 600_000);
});
