import { describe, expect, it } from 'vitest';
import { canonicalTriggerType, envRecord, sourceTypeOf, strategyOf, strategyTypeOf, triggersOf, webhookOf } from '../../lib/api/build-spec';
import { deprecationWarnings } from '../../lib/api/build-spec-warnings';
import type { BuildConfigSpec } from '../../lib/api/buildconfig';

const spec = (extra: Partial<BuildConfigSpec>): BuildConfigSpec => ({ source: { git: { uri: 'https://h/r.git' } }, strategy: { dockerStrategy: {} }, ...extra });

describe('reading a BuildConfig spec written in any of OpenShift\'s forms', () => {
  it('infers the strategy type from the one options object present, as OpenShift does; two or none tell nothing', () => {
    expect(strategyTypeOf({ dockerStrategy: {} })).toBe('Docker');
    expect(strategyTypeOf({ sourceStrategy: {} })).toBe('Source');
    expect(strategyTypeOf({ buildpacksStrategy: { builder: 'b@sha256:1' } })).toBe('Buildpacks');
    expect(strategyTypeOf({ type: 'Source' })).toBe('Source');
    expect(strategyTypeOf({ dockerStrategy: {}, sourceStrategy: {} })).toBeUndefined();
    expect(strategyTypeOf({})).toBeUndefined();
  });

  it('infers the source type: git, then an inline Dockerfile, binary, images; else None', () => {
    expect(sourceTypeOf({ git: { uri: 'u' }, contextDir: 'x' })).toBe('Git');
    expect(sourceTypeOf({ dockerfile: 'FROM a' })).toBe('Dockerfile');
    expect(sourceTypeOf({ binary: {} })).toBe('Binary');
    expect(sourceTypeOf({ images: [{ from: { kind: 'DockerImage', name: 'a' }, paths: [{ sourcePath: '/x', destinationDir: 'y' }] }] })).toBe('Image');
    expect(sourceTypeOf({})).toBe('None');
    expect(sourceTypeOf({ type: 'Binary', git: { uri: 'u' } })).toBe('Binary');
  });

  it("converts the legacy trigger spellings OpenShift's v1 API converts, and nothing else", () => {
    expect(['github', 'generic', 'imageChange', 'GitLab', 'ConfigChange'].map(canonicalTriggerType)).toEqual(['GitHub', 'Generic', 'ImageChange', 'GitLab', 'ConfigChange']);
    expect(['gitlab', 'configChange', 'Custom'].map(canonicalTriggerType)).toEqual([undefined, undefined, undefined]);
    const triggers = triggersOf(spec({ triggers: [{ type: 'github', github: { secret: 's3cr3t' } }, { type: 'imageChange', imageChange: {} }] }));
    expect(triggers.map((t) => t.type)).toEqual(['GitHub', 'ImageChange']);
    expect(webhookOf(triggers[0])).toEqual({ type: 'GitHub', secret: 's3cr3t' });
    expect(webhookOf(triggers[1])).toBeUndefined();
  });

  it("reads each strategy's options the same way: env and build args as records (the later of a name wins), the pull Secret by name", () => {
    expect(strategyOf({ dockerStrategy: { from: { kind: 'DockerImage', name: 'a:1' }, env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }, { name: 'B' }], buildArgs: [{ name: 'V', value: '3' }], pullSecret: { name: 'p' }, noCache: true, imageOptimizationPolicy: 'SkipLayers' } }))
      .toMatchObject({ type: 'Docker', from: { kind: 'DockerImage', name: 'a:1' }, env: { A: '2', B: '' }, buildArgs: { V: '3' }, pullSecret: 'p', noCache: true, squash: true, stages: [] });
    expect(strategyOf({ sourceStrategy: { builders: [{ language: 'java', image: 'j:1' }], incremental: true, scripts: 'image:///s' } }))
      .toMatchObject({ type: 'Source', builders: { java: 'j:1' }, incremental: true, scripts: 'image:///s' });
    expect(strategyOf({ buildpacksStrategy: { builder: 'b@sha256:1', userId: 7 } })).toMatchObject({ type: 'Buildpacks', from: { kind: 'DockerImage', name: 'b@sha256:1' }, buildpacks: { builder: 'b@sha256:1', userId: 7 } });
    expect(envRecord(undefined)).toEqual({});
  });
});

describe('deprecationWarnings', () => {
  it('names each deprecated form and what to write instead; none for the current forms', () => {
    expect(deprecationWarnings(spec({ triggers: [{ type: 'generic', generic: { secret: 'x' } }, { type: 'GitHub', github: { secretReference: { name: 'hook' } } }], serviceAccount: 'builder' }))).toEqual([
      "triggers[0].type 'generic' is a deprecated spelling: write 'Generic'",
      'triggers[0].generic.secret: an inline webhook secret is deprecated (anyone who can read the BuildConfig can start builds): put it in a Secret under the key WebHookSecretKey and name it with generic.secretReference',
      "serviceAccount is OpenShift's name: it is read as serviceAccountName, the name to write",
    ]);
    expect(deprecationWarnings(spec({ triggers: [{ type: 'GitHub', github: { secretReference: { name: 'hook' } } }, { type: 'ConfigChange' }] }))).toEqual([]);
  });
});
