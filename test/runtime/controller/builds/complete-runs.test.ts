import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRuns } from '../../../../lib/runtime/controller/builds/complete-runs';
import { EventRecorder } from '../../../../lib/runtime/machinery/events';
import { silentLogger } from '../../../../lib/runtime/machinery/logger';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { startTriggerCluster, type TriggerCluster } from '../cluster';
import { createBuildConfig, buildConfigSpec, failRun, pipelineRuns, succeedRun } from './build-fixtures';

describe('completeRuns', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => (cluster = await startTriggerCluster()));
  afterAll(async () => cluster?.close());
  const runs = () => pipelineRuns(cluster.kube);
  const create = (name: string, status?: string) => runs().create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, labels: { 'imagestreams.dev/buildconfig': 'cr' } }, spec: { pipelineRef: { name: 'p' }, ...(status ? { status } : {}) } });

  it('records a success, warns about a failure, stays quiet about a cancellation, and acts once on each', async () => {
    // GIVEN a BuildConfig and three finished runs
    await cluster.createStream('cr-out', { imageRepository: 'reg.example/cr-out', tags: [{ name: 'latest' }] });
    const bc = await createBuildConfig(cluster.kube, 'cr', buildConfigSpec('cr-base:latest', 'cr-out:latest'));
    await create('cr-1');
    await succeedRun(cluster.kube, 'cr-1', `sha256:${'9'.repeat(64)}`);
    await create('cr-2');
    await failRun(cluster.kube, 'cr-2', 'step "build" exited 1');
    await create('cr-3', 'Cancelled');
    const ctx = { client: cluster.kube, runs: runs(), events: new EventRecorder(cluster.kube, 'test', 'test', silentLogger), log: silentLogger };
    // WHEN completed, twice
    const live = (await runs().list()).items.filter((r) => r.metadata.name?.startsWith('cr-'));
    const once = await completeRuns(ctx, bc, live);
    await completeRuns(ctx, bc, once);
    // THEN each run says what was done, the output moved, and one Warning names the failure
    expect(Object.fromEntries(once.map((r) => [r.metadata.name, r.metadata.annotations?.['imagestreams.dev/completion']]))).toEqual({ 'cr-1': 'OutputRecorded', 'cr-2': 'Failed', 'cr-3': 'Cancelled' });
    const items = (await cluster.kube.resource<KubeObject & { status?: { tags?: { items: unknown[] }[] } }>({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: cluster.namespace }).get('cr-out')).status?.tags?.[0].items;
    expect(items).toHaveLength(1);
    const events = (await cluster.kube.resource<KubeObject & { reason: string; message: string; count: number }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items;
    expect(events.map((e) => [e.reason, e.message, e.count])).toEqual([['BuildFailed', 'build cr-2 failed: Failed: step "build" exited 1', 1]]);
  });
});
