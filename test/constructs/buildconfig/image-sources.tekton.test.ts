import { describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream } from '../../../constructs';
import { pipelineRunFor } from '../../../lib/api/build-run';
import type { BuildConfigSpec } from '../../../lib/api/buildconfig';
import { KubectlError, uniqueNamespace, useCluster } from '../../support/cluster';
import { synthApp, type Manifest } from '../../support/synth-app';

/**
 * Tekton's own validation (its admission in the test cluster) of what image sources add: the
 * image-sources Task, the Pipelines that run it (git, inline Dockerfile, images only; Docker and S2I),
 * and the run the controller makes of a BuildConfig applied without a Pipeline (the Pipeline embedded).
 */

const cluster = useCluster();

async function created(ns: string, object: unknown): Promise<string> {
  try {
    await cluster.kubectl(['create', '-n', ns, '--dry-run=server', '-f', '-'], { input: JSON.stringify(object) });
    return 'accepted';
  } catch (e) {
    if (e instanceof KubectlError) return e.stderr.trim() || e.stdout.trim();
    throw e;
  }
}

function app(): readonly Manifest[] {
  return synthApp(({ chart }) => {
    const c = chart('builds');
    const tools = new ImageStream(c, 'tools');
    tools.importTag('1', { from: 'registry.example.com/tools:1' });
    const out = new ImageStream(c, 'out');
    const images = [
      { from: tools.tag('1'), paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'tools' }] },
      { from: 'registry.example.com/libs:2', paths: [{ sourcePath: '/usr/lib/a b=$x.jar', destinationDir: 'lib' }], pullSecret: 'libs' },
    ];
    const build = (name: string, source: BuildSource, strategy = BuildStrategy.dockerfile({ from: 'registry.example.com/base:1' })) =>
      new BuildConfig(c, name, { name, source, strategy, output: BuildOutput.imageStreamTag(out.tag(name)) });
    build('git', BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main', images }));
    build('s2i', BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main', images }), BuildStrategy.sourceToImage({ builderImage: 'registry.example.com/node:20' }));
    build('inline', BuildSource.dockerfile('FROM registry.example.com/base:1\nCOPY tools /tools\n', { images }));
    build('only', BuildSource.image({ images }));
  }).objects;
}

describe("image sources under Tekton's admission", () => {
  it('admits every Task and Pipeline a BuildConfig with image sources emits', async () => {
    const ns = await uniqueNamespace('image-sources-tekton');
    const objects = app().filter((o) => o.kind === 'Task' || o.kind === 'Pipeline');
    expect(objects.filter((o) => o.kind === 'Task').map((o) => o.metadata.name.replace(/-[0-9a-f]{8}$/, ''))).toContain('image-sources');
    expect(objects.filter((o) => o.kind === 'Pipeline')).toHaveLength(4);
    for (const o of objects) expect(`${o.kind}/${o.metadata.name}: ${await created(ns, { ...o, metadata: { ...o.metadata, namespace: ns } })}`).toBe(`${o.kind}/${o.metadata.name}: accepted`);
  });

  it('admits the run of a BuildConfig applied without a Pipeline, its Pipeline embedded with IMAGE_SOURCES set', async () => {
    const ns = await uniqueNamespace('image-sources-tekton');
    const bc = app().find((o) => o.kind === 'BuildConfig' && o.metadata.name === 'git')!;
    const { pipelineRef: _, ...spec } = bc.spec as unknown as BuildConfigSpec;
    const run = pipelineRunFor({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: 'git', namespace: ns }, spec }, { type: 'Manual' }, {
      naming: { number: 1 }, imageSources: { 0: `registry.example.com/tools@sha256:${'1'.repeat(64)}` }, target: { image: 'registry.example.com/out:git' },
    });
    expect(run.spec.params).toContainEqual({ name: 'IMAGE_SOURCES', value: [`0=registry.example.com/tools@sha256:${'1'.repeat(64)}`, '1=registry.example.com/libs:2'] });
    expect(run.spec.workspaces).toContainEqual({ name: 'images-pull-dockerconfig', secret: { secretName: 'libs' } });
    expect(await created(ns, run)).toBe('accepted');
  });
});
