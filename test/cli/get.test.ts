import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { eventually } from '../runtime/controller/eventually';
import { buildKube, type BuildKube } from './builds';

const SHA = 'c0ffee'.padEnd(40, '0');

// On the real API server: foo synthesized by the constructs; builds made as start-build and the
// controller make them; Tekton's status (times and conditions) written as Tekton writes it.
describe('imagestreams get builds', () => {
  let k: BuildKube;
  beforeAll(async () => {
    k = await buildKube('cli-get');
    // On a fresh control plane Tekton's storage answers 429 "(re)initializing" for a moment.
    await eventually(() => Promise.all([k.taskRuns().list(), k.pipelineRuns().list()]), 30_000, 200);
  });
  afterAll(() => k?.close());
  const get = (...args: string[]) => cli(process.cwd(), 'get', ...args, '--kubeconfig', k.kubeconfigPath);
  const request = async (...args: string[]) => {
    expect((await cli(process.cwd(), 'start-build', 'foo', ...args, '--kubeconfig', k.kubeconfigPath)).code).toBe(0);
    return (await k.pipelineRuns().list()).items.find((r) => r.metadata.name!.startsWith('foo-manual-') && !r.metadata.annotations?.['imagestreams.dev/build'])!.metadata.name!;
  };

  it('says when there are none', async () => {
    expect(await get('builds')).toEqual({ code: 0, stdout: 'No builds found.\n', stderr: '' });
  });

  it('lists each build by BuildConfig and number: status, cause, revision, started, duration; requests not yet built as New', async () => {
    // GIVEN foo #1 complete (ran 75 s, an hour ago), foo #2 running (with a commit), foo #3 cancelled while queued, a request not numbered yet
    const one = await k.makeBuild(await request(), 1);
    const hourAgo = new Date(Date.now() - 3600_000);
    await k.pipelineRuns().mergePatch(one, { spec: { status: null } });
    await k.runStatus(one, { startTime: iso(hourAgo), completionTime: iso(new Date(hourAgo.getTime() + 75_000)), conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] });
    const two = await k.makeBuild(await request('--commit', SHA), 2);
    await k.pipelineRuns().mergePatch(two, { spec: { status: null } });
    await k.runStatus(two, { startTime: iso(new Date(Date.now() - 120_000)), conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] });
    const three = await k.makeBuild(await request(), 3);
    await k.pipelineRuns().mergePatch(three, { spec: { status: 'Cancelled' } });
    const pending = await request();
    // WHEN listed THEN
    const lines = (await get('builds')).stdout.split('\n').map((l) => l.split(/\s+/).filter(Boolean));
    expect(lines).toEqual([
      ['NAME', 'BUILDCONFIG', 'STATUS', 'CAUSE', 'REVISION', 'STARTED', 'DURATION'],
      ['foo-1', 'foo', 'Complete', 'Manual', '60m', '75s'],
      ['foo-2', 'foo', 'Running', 'Manual', 'c0ffee0', '2m'],
      ['foo-3', 'foo', 'Cancelled', 'Manual'],
      [pending, 'foo', 'New', 'Manual'],
      [],
    ]);
    // AND only a BuildConfig's builds with its name
    expect((await get('builds', 'bar')).stdout).toBe('No builds found.\n');
    expect((await get('builds', 'foo')).stdout.split('\n')).toHaveLength(6);
  });

  it.each([
    [[], 'name what to list: get builds'],
    [['pods'], "get lists builds and imagestreams (is), not 'pods' (kubectl get lists the rest: bc, pods, …)"],
  ])('is a usage error: get %j', async (args, message) => {
    expect(await get(...args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nsee 'imagestreams get --help'\n` });
  });
});

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
