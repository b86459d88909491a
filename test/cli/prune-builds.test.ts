import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_ANNOTATION } from '../../lib/api/labels';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { cli } from '../support/cli';
import { eventually } from '../runtime/controller/eventually';
import { buildKube, type BuildKube } from './builds';

const HOUR = 3_600_000;

// On the real API server: foo synthesized by the constructs; its builds made as start-build and the
// controller make them (real PipelineRun objects, Tekton's CRD), finished as Tekton writes it and
// recorded as the controller does.
describe('imagestreams prune builds', () => {
  let k: BuildKube;
  beforeAll(async () => {
    k = await buildKube('cli-prune-builds');
    await eventually(() => k.pipelineRuns().list(), 30_000, 200);
  });
  afterAll(() => k?.close());
  const prune = (...args: string[]) => cli(process.cwd(), 'prune', 'builds', '--kubeconfig', k.kubeconfigPath, ...args);
  // The builds (a start-build request is owned by its build, and goes with it).
  const names = async () => (await k.pipelineRuns().list()).items.map((r) => r.metadata.name!).filter((n) => !n.startsWith('foo-manual-')).sort();

  /** Build n of foo, finished `hoursAgo` (succeeded or failed) and recorded by the controller unless `recorded` is false; or left running. */
  async function build(n: number, outcome: 'succeeded' | 'failed' | 'running', hoursAgo = 0, recorded = true): Promise<string> {
    expect((await cli(process.cwd(), 'start-build', 'foo', '--kubeconfig', k.kubeconfigPath)).code).toBe(0);
    const request = (await k.pipelineRuns().list()).items.find((r) => r.metadata.name!.startsWith('foo-manual-') && !r.metadata.annotations?.['imagestreams.dev/build'])!;
    const name = await k.makeBuild(request.metadata.name!, n);
    await k.pipelineRuns().mergePatch(name, { spec: { status: null } });
    const finished = new Date(Date.now() - hoursAgo * HOUR).toISOString().replace(/\.\d+Z$/, 'Z');
    const status = outcome === 'running' ? 'Unknown' : outcome === 'succeeded' ? 'True' : 'False';
    await k.runStatus(name, { startTime: finished, ...(outcome === 'running' ? {} : { completionTime: finished }), conditions: [{ type: 'Succeeded', status, reason: outcome }] });
    if (recorded && outcome !== 'running') await k.pipelineRuns().mergePatch(name, { metadata: { annotations: { [COMPLETION_ANNOTATION]: outcome === 'succeeded' ? 'Succeeded' : 'Failed' } } });
    return name;
  }

  it('lists the finished runs beyond the limits (a dry run), deletes exactly those with --confirm, and orphans only with --orphans', async () => {
    // GIVEN foo's builds: 1 ok, 2 failed, 3 ok, 4 failed (hours ago), 5 ok 10 minutes ago, 6 running, 7 ok but not recorded yet
    for (const [n, outcome, hours, recorded] of [[1, 'succeeded', 3, true], [2, 'failed', 3, true], [3, 'succeeded', 2, true], [4, 'failed', 2, true], [5, 'succeeded', 1 / 6, true], [6, 'running', 0, true], [7, 'succeeded', 2, false]] as const) {
      await build(n, outcome, hours, recorded);
    }
    // AND a finished run of a BuildConfig that is gone (a copy of foo-1 labelled 'gone')
    const one = await k.pipelineRuns().get('foo-1');
    const labels = { ...one.metadata.labels, 'imagestreams.dev/buildconfig': 'gone' };
    await k.pipelineRuns().create({ apiVersion: one.apiVersion, kind: one.kind, metadata: { name: 'gone-1', labels }, spec: one.spec } as PipelineRun);
    await k.runStatus('gone-1', { startTime: one.status!.startTime, completionTime: one.status!.completionTime, conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] });
    const all = await names();

    // WHEN pruned keeping 1 complete and 0 failed (a dry run)
    const dryRun = await prune('--keep-complete', '1', '--keep-failed', '0');
    // THEN 1 and 3 (beyond the newest recorded success, 5) and 2 and 4 are listed; 5 is young anyway, 6 runs, 7 isn't recorded; nothing is deleted
    const ns = k.namespace;
    expect(dryRun).toEqual({
      code: 0,
      stdout: [
        'NAMESPACE' .padEnd(ns.length) + '  PIPELINERUN  STATUS    WHY',
        `${ns}  foo-1        Complete  beyond the successful history limit of ${ns}/foo`,
        `${ns}  foo-3        Complete  beyond the successful history limit of ${ns}/foo`,
        `${ns}  foo-2        Failed    beyond the failed history limit of ${ns}/foo`,
        `${ns}  foo-4        Failed    beyond the failed history limit of ${ns}/foo`,
        'Dry run: would delete 4 PipelineRuns. Pass --confirm to delete them.',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(await names()).toEqual(all);

    // WHEN --keep-younger-than 0s THEN 5 is listed too (it is beyond the limit of 0)
    expect((await prune('--keep-complete', '0', '--keep-failed', '0', '--keep-younger-than', '0s')).stdout).toContain('foo-5');
    // WHEN the BuildConfig's own limits apply (5 and 5) THEN nothing goes
    expect((await prune()).stdout).toBe('Nothing to prune.\n');
    // WHEN --orphans THEN the run of the BuildConfig that is gone is listed
    expect((await prune('--orphans')).stdout).toContain(`gone-1       Complete  BuildConfig ${ns}/gone no longer exists`);

    // WHEN confirmed
    const confirmed = await prune('--keep-complete', '1', '--keep-failed', '0', '--confirm');
    // THEN exactly those four are gone
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('Deleted 4 PipelineRuns');
    expect(await names()).toEqual(all.filter((n) => !['foo-1', 'foo-2', 'foo-3', 'foo-4'].includes(n)));
    expect((await prune('--keep-complete', '1', '--keep-failed', '0')).stdout).toBe('Nothing to prune.\n');
  });
});
