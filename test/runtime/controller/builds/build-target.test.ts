import { describe, expect, it } from 'vitest';
import { buildPipelineSpec, embeddedPipelineSpec, embedTasks } from '../../../../lib/api/build-pipeline/pipeline';
import { pipelineRunFor } from '../../../../lib/api/build-run';
import type { BuildConfigObject } from '../../../../lib/api/buildconfig';
import type { ImageStreamObject } from '../../../../lib/api/imagestream';
import { buildTarget } from '../../../../lib/runtime/controller/builds/build-target';
import { isBuildOf } from '../../../../lib/runtime/controller/builds/run-ownership';

const REGISTRY = { pushHost: 'registry.svc:5000', pullHost: 'localhost:32000', insecure: true, pushSecret: 'registry-push', pullSecret: 'registry-pull' };

/** A BuildConfig as OpenShift YAML writes it: no Pipeline, no type, output to a stream tag. */
function openshiftBuildConfig(to: NonNullable<BuildConfigObject['spec']['output']>['to'] = { kind: 'ImageStreamTag', name: 'app:latest' }): BuildConfigObject & { metadata: { uid: string } } {
  return {
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: 'app', namespace: 'web', uid: 'uid-1' },
    spec: { source: { git: { uri: 'https://git.example/app.git' } }, strategy: { sourceStrategy: { from: { kind: 'DockerImage', name: 'registry.svc:5000/builders/node:1' } } }, ...(to ? { output: { to } } : {}) },
  };
}
const stream = (spec: ImageStreamObject['spec'] = {}): ImageStreamObject => ({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'app', namespace: 'web' }, spec });

describe('buildTarget: where a BuildConfig without a Pipeline pushes', () => {
  it("pushes a stream tag to the stream's imageRepository when it names one, else where the System's registry keeps the stream", () => {
    const bc = openshiftBuildConfig();
    expect(buildTarget(bc, () => stream({ imageRepository: 'r.example/web/app' }), REGISTRY)).toEqual({
      buildConfig: 'web/app', image: 'r.example/web/app:latest', pushSecret: 'registry-push', pullSecret: 'registry-pull', insecureHosts: ['localhost:32000', 'registry.svc:5000'],
    });
    expect(buildTarget(bc, () => stream(), REGISTRY)).toMatchObject({ image: 'registry.svc:5000/web/app:latest', insecureHosts: ['localhost:32000', 'registry.svc:5000'] });
    expect(buildTarget(bc, () => undefined, { ...REGISTRY, insecure: false, pathPrefix: 'apps' })).toMatchObject({ image: 'registry.svc:5000/apps/web/app:latest' });
  });

  it("works out no push into another namespace's stream that grants this one no Push (a second tenant's request builds nothing there)", () => {
    const web = { ...stream({ imageRepository: 'r.example/web/app' }), metadata: { name: 'app', namespace: 'web' } };
    const evil = { ...openshiftBuildConfig({ kind: 'ImageStreamTag', name: 'app:latest', namespace: 'web' }), metadata: { name: 'app', namespace: 'evil', uid: 'u' } };
    const denied = buildTarget(evil, () => web, REGISTRY);
    expect(denied.image).toBeUndefined();
    expect(denied.reason).toContain('web/app');
    const granted = { ...web, spec: { ...web.spec, grants: [{ namespace: 'evil', access: 'Push' as const }] } };
    expect(buildTarget(evil, () => granted, REGISTRY).image).toBe('r.example/web/app:latest');
  });

  it('pushes a DockerImage output as written, and says why when it cannot tell where to push', () => {
    expect(buildTarget(openshiftBuildConfig({ kind: 'DockerImage', name: 'quay.io/team/app:1' }), () => undefined, undefined)).toEqual({ buildConfig: 'web/app', image: 'quay.io/team/app:1' });
    expect(buildTarget(openshiftBuildConfig(), () => stream(), undefined).reason).toBe(
      'ImageStream web/app names no repository (spec.imageRepository) and the System has no registry: cannot tell where to push',
    );
    // No output: built, not pushed
    expect(buildTarget({ ...openshiftBuildConfig(), spec: { ...openshiftBuildConfig().spec, output: {} } }, () => undefined, REGISTRY).image).toBeUndefined();
  });
});

describe('isBuildOf, for a BuildConfig without a Pipeline', () => {
  const bc = openshiftBuildConfig();
  const target = buildTarget(bc, () => stream(), REGISTRY);
  const expected = buildPipelineSpec(bc.spec, target, embedTasks);
  const run = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, target });

  it('counts a run the controller made: owned by the BuildConfig, embedding the Pipeline its spec makes, whatever defaults admission filled in', () => {
    expect(run.spec.pipelineRef).toBeUndefined();
    expect(isBuildOf(bc, run, expected)).toBe(true);
    // Tekton's defaulting adds fields the generator never writes
    const defaulted = JSON.parse(JSON.stringify(run));
    for (const task of defaulted.spec.pipelineSpec.tasks) for (const step of task.taskSpec.steps) step.computeResources = {};
    expect(isBuildOf(bc, defaulted, expected)).toBe(true);
  });

  it("refuses a run whose embedded steps are not the spec's, or that names a Pipeline, or that the BuildConfig does not own", () => {
    const tampered = JSON.parse(JSON.stringify(run));
    tampered.spec.pipelineSpec.tasks[0].taskSpec.steps[0].script = 'echo sha256:evil > $(results.IMAGE_DIGEST.path)';
    expect(isBuildOf(bc, tampered, expected)).toBe(false);
    expect(isBuildOf(bc, { ...run, spec: { ...run.spec, pipelineSpec: undefined, pipelineRef: { name: 'app' } } }, expected)).toBe(false);
    expect(isBuildOf(bc, { ...run, metadata: { ...run.metadata, ownerReferences: [] } }, expected)).toBe(false);
  });
});

describe('the Pipeline embedded for a BuildConfig without one, given the System image mirror', () => {
  it("runs our default step images through the mirror, as a synthesized BuildConfig's shared Tasks do, and still counts as the BuildConfig's build", () => {
    const bc = openshiftBuildConfig();
    const mirror = { 'quay.io': 'mirror.example.com/quay.io', 'docker.io': 'mirror.example.com/docker.io', 'registry.access.redhat.com': 'mirror.example.com/redhat' };
    const target = buildTarget(bc, () => stream(), REGISTRY, mirror);
    const run = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, target });
    const images = run.spec.pipelineSpec!.tasks.flatMap((t) => [...(t.taskSpec?.steps ?? []).map((s) => s.image), ...(t.taskSpec?.params ?? []).flatMap((p) => (typeof p.default === 'string' && p.name.endsWith('_IMAGE') && p.default !== '' ? [p.default] : []))]);
    expect(images.filter((i) => !i.startsWith('$(')).length).toBeGreaterThan(0);
    expect(images.filter((i) => !i.startsWith('$(') && !i.startsWith('mirror.example.com/'))).toEqual([]);
    expect(isBuildOf(bc, run, embeddedPipelineSpec(bc.spec, target))).toBe(true);
    // Without the mirror, the defaults as they are
    const plain = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, target: buildTarget(bc, () => stream(), REGISTRY) });
    expect(JSON.stringify(plain.spec.pipelineSpec)).not.toContain('mirror.example.com');
  });
});
