import { describe, expect, it } from 'vitest';
import type { BuildConfigSpec } from '../../../../lib/api/buildconfig';
import { pendingPipelineRun } from '../../../../constructs/buildconfig/webhook/pending-run';

const spec: BuildConfigSpec = {
  pipelineRef: { name: 'foo' },
  params: [{ name: 'REVISION', value: 'main' }, { name: 'NO_CACHE', value: 'true' }],
  source: { type: 'Git', git: { uri: 'https://github.com/example/foo.git', ref: 'main' } },
  strategy: { type: 'Docker' },
  output: { to: { kind: 'DockerImage', name: 'r.io/foo:latest' } },
  timeout: '1h30m0s',
  serviceAccountName: 'builder',
  workspaces: [{ name: 'source', emptyDir: {} }, { name: 'dockerconfig', secret: { secretName: 'push' } }],
  podTemplate: { automountServiceAccountToken: false, hostUsers: false },
};

describe('pendingPipelineRun', () => {
  it('is a pending run of the BuildConfig Pipeline building exactly the given revision', () => {
    // WHEN a run is made for a commit
    const run = pendingPipelineRun({ buildConfig: 'foo', namespace: 'seed', spec, naming: { generateName: 'foo-webhook-' }, revision: 'abc123', annotations: { a: 'b' } });
    // THEN it waits for the controller and copies what the BuildConfig says each run gets
    expect(run).toEqual({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'foo-webhook-', namespace: 'seed', labels: { 'imagestreams.dev/buildconfig': 'foo' }, annotations: { a: 'b' } },
      spec: {
        pipelineRef: { name: 'foo' },
        // The BuildConfig's own REVISION is replaced by the commit.
        params: [{ name: 'NO_CACHE', value: 'true' }, { name: 'REVISION', value: 'abc123' }],
        workspaces: [{ name: 'source', emptyDir: {} }, { name: 'dockerconfig', secret: { secretName: 'push' } }],
        taskRunTemplate: { serviceAccountName: 'builder', podTemplate: { automountServiceAccountToken: false, hostUsers: false } },
        timeouts: { pipeline: '1h30m0s' },
        status: 'PipelineRunPending',
      },
    });
  });

  it('takes a fixed name, and leaves out an empty pod template and an unset timeout', () => {
    const run = pendingPipelineRun({ buildConfig: 'foo', namespace: 'seed', spec: { ...spec, podTemplate: {}, timeout: undefined }, naming: { name: 'foo-poll-abc' }, revision: 'abc', annotations: {} });
    expect(run.metadata.name).toBe('foo-poll-abc');
    expect(run.metadata.generateName).toBeUndefined();
    expect(run.spec.taskRunTemplate).toEqual({ serviceAccountName: 'builder' });
    expect(run.spec.timeouts).toBeUndefined();
  });
});
