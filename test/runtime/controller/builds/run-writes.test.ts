import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitRun, cancelRun, deleteRun } from '../../../../lib/runtime/controller/builds/run-writes';
import { ConflictError } from '../../../../lib/runtime/kube/errors';
import { startTriggerCluster, type TriggerCluster } from '../cluster';
import { pipelineRuns } from './build-fixtures';

describe('run writes', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => (cluster = await startTriggerCluster()));
  afterAll(async () => cluster?.close());
  const runs = () => pipelineRuns(cluster.kube);
  const create = (name: string) => runs().create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, labels: { 'imagestreams.dev/buildconfig': 'app' } }, spec: { pipelineRef: { name: 'p' }, status: 'PipelineRunPending' } });

  it('admits and cancels runs, each on the version it was decided on', async () => {
    const created = await create('w1');
    const labelled = await runs().mergePatch('w1', { metadata: { labels: { touched: 'yes' } } });
    // a decision made on the stale version fails instead of overwriting
    await expect(admitRun(runs(), created)).rejects.toBeInstanceOf(ConflictError);
    expect((await admitRun(runs(), labelled)).spec.status).toBeUndefined();
    const other = await create('w2');
    expect((await cancelRun(runs(), other)).spec.status).toBe('Cancelled');
  });

  it('deletes exactly the run it saw; one already gone is fine', async () => {
    const run = await create('w3');
    await deleteRun(runs(), run);
    await deleteRun(runs(), run);
    const again = await create('w3');
    await deleteRun(runs(), run); // the old uid: the new run stays
    expect((await runs().get('w3')).metadata.uid).toBe(again.metadata.uid);
  });
});
