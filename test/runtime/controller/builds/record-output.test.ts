import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageStreamObject } from '../../../../lib/api/imagestream';
import { recordOutput } from '../../../../lib/runtime/controller/builds/record-output';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { startTriggerCluster, type TriggerCluster } from '../cluster';
import { fakeBuildConfig, fakeRun } from './build-fixtures';
import { IMAGESTREAMS } from '../../../../lib/api/group';

const DIGEST = `sha256:${'f'.repeat(64)}`;
const succeeded = (digest: string, completionTime = '2026-01-01T00:00:00Z') => ({
  ...fakeRun(1, 'succeeded'),
  status: { completionTime, conditions: [{ type: 'Succeeded', status: 'True' as const }], results: [{ name: 'IMAGE_DIGEST', value: `${digest}\n` }, { name: 'IMAGE_URL', value: 'reg.example/team/app:latest\n' }] },
});

describe('recordOutput', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => (cluster = await startTriggerCluster()));
  afterAll(async () => cluster?.close());
  const streams = () => cluster.kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace: cluster.namespace });
  const items = async (name: string) => (await streams().get(name)).status?.tags?.find((t) => t.tag === 'latest')?.items ?? [];

  it('records imageRepository@digest as the newest item, once however often it is repeated', async () => {
    // GIVEN an output stream with an older item
    await cluster.createStream('out', { imageRepository: `reg.example/${cluster.namespace}/out`, tags: [{ name: 'latest' }] });
    await cluster.pushImage('out', 'latest', 'older');
    const bc = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'out:latest' } } }, { namespace: cluster.namespace });
    // WHEN the run's outcome is recorded twice
    expect(await recordOutput(cluster.kube, bc, succeeded(DIGEST))).toEqual({ kind: 'recorded', reference: `reg.example/${cluster.namespace}/out@${DIGEST}`, tag: `${cluster.namespace}/out:latest` });
    expect((await recordOutput(cluster.kube, bc, succeeded(DIGEST))).kind).toBe('already');
    // THEN one new item, in front
    expect((await items('out')).map((i) => i.dockerImageReference)).toEqual([`reg.example/${cluster.namespace}/out@${DIGEST}`, expect.stringMatching(new RegExp(`^registry.test/${cluster.namespace}/out@`))]);
  });

  it('records which build pushed the item, its commit and its base by digest, as the run reported them (the stored schema keeps them)', async () => {
    // GIVEN a run that reports its commit and base
    await cluster.createStream('made', { imageRepository: `reg.example/${cluster.namespace}/made`, tags: [{ name: 'latest' }] });
    const bc = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'made:latest' } } }, { namespace: cluster.namespace });
    const commit = 'a'.repeat(40);
    const base = `reg.example/${cluster.namespace}/jdk@sha256:${'b'.repeat(64)}`;
    const run = succeeded(DIGEST);
    const reported = { ...run, status: { ...run.status, results: [...run.status.results, { name: 'COMMIT', value: `${commit}\n` }, { name: 'BASE_IMAGE', value: `${base}\n` }] } };
    // WHEN recorded THEN the item, read back from the API server, carries them
    expect((await recordOutput(cluster.kube, bc, reported)).kind).toBe('recorded');
    expect((await items('made'))[0]).toMatchObject({ image: DIGEST, build: 'default/app-1', commit, baseImage: base });
    // AND the same image built again (reproducible) keeps the first build's record
    const rebuilt = { ...reported, metadata: { ...reported.metadata, name: 'app-2' }, status: { ...reported.status, completionTime: '2026-01-02T00:00:00Z' } };
    await recordOutput(cluster.kube, bc, rebuilt);
    expect((await items('made')).map((i) => i.build)).toEqual(['default/app-1']);
    // AND results that are not a commit or an image by digest are left out
    await cluster.createStream('odd', { tags: [{ name: 'latest' }] });
    const odd = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'odd:latest' } } }, { namespace: cluster.namespace });
    const garbled = { ...run, status: { ...run.status, results: [...run.status.results, { name: 'COMMIT', value: 'main' }, { name: 'BASE_IMAGE', value: 'busybox:latest' }] } };
    await recordOutput(cluster.kube, odd, garbled);
    const item = (await items('odd'))[0];
    expect([item.build, item.commit, item.baseImage]).toEqual(['default/app-1', undefined, undefined]);
  });

  it('falls back to the IMAGE_URL repository when the stream has no imageRepository', async () => {
    await cluster.createStream('bare');
    const bc = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'bare:latest' } } }, { namespace: cluster.namespace });
    expect((await recordOutput(cluster.kube, bc, succeeded(DIGEST))).kind).toBe('recorded');
    expect((await items('bare'))[0].dockerImageReference).toBe(`reg.example/team/app@${DIGEST}`);
  });

  it('does not move a paused tag, an image output, or a run without a digest', async () => {
    await cluster.createStream('held', { tags: [{ name: 'latest', importPolicy: { paused: true } }] });
    const held = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'held:latest' } } }, { namespace: cluster.namespace });
    expect((await recordOutput(cluster.kube, held, succeeded(DIGEST))).kind).toBe('paused');
    expect(await items('held')).toEqual([]);
    const image = fakeBuildConfig({ output: { to: { kind: 'DockerImage', name: 'reg.example/x:1' } } }, { namespace: cluster.namespace });
    expect(await recordOutput(cluster.kube, image, succeeded(DIGEST))).toEqual({ kind: 'skipped', message: 'output reg.example/x:1 is an image, not a stream tag' });
    expect(await recordOutput(cluster.kube, held, succeeded('latest'))).toEqual({ kind: 'skipped', message: 'result IMAGE_DIGEST ("latest") is not a sha256 digest' });
    const missing = fakeBuildConfig({ output: { to: { kind: 'ImageStreamTag', name: 'gone:latest' } } }, { namespace: cluster.namespace });
    expect(await recordOutput(cluster.kube, missing, succeeded(DIGEST))).toEqual({ kind: 'skipped', message: `output stream ${cluster.namespace}/gone not found` });
  });
});
