import { describe, expect, it } from 'vitest';
import { runPhase, runResult } from '../../lib/api/pipeline-run';
import { fakeRun } from '../runtime/controller/builds/build-fixtures';

describe('PipelineRun helpers', () => {
  it('tells the phase from spec.status and the Succeeded condition', () => {
    expect(runPhase(fakeRun(1, 'pending'))).toBe('pending');
    expect(runPhase(fakeRun(1, 'running'))).toBe('running');
    expect(runPhase(fakeRun(1, 'succeeded'))).toBe('succeeded');
    expect(runPhase(fakeRun(1, 'failed'))).toBe('failed');
    // cancelled while pending, before Tekton wrote a condition
    expect(runPhase({ ...fakeRun(1, 'running'), spec: { status: 'Cancelled' } })).toBe('failed');
  });

  it('reads a pipeline result without the newline the step wrote', () => {
    const run = { ...fakeRun(1, 'succeeded'), status: { results: [{ name: 'IMAGE_DIGEST', value: 'sha256:abc\n' }] } };
    expect(runResult(run, 'IMAGE_DIGEST')).toBe('sha256:abc');
    expect(runResult(run, 'IMAGE_URL')).toBeUndefined();
  });
});
