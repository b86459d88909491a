import { describe, expect, it } from 'vitest';
import { pipelineRunFor } from '../../../../lib/runtime/controller/builds/new-run';
import { fakeBuildConfig } from './build-fixtures';

describe('pipelineRunFor', () => {
  it('creates a serial build pending, with the webhook\'s commit as REVISION', () => {
    const run = pipelineRunFor(fakeBuildConfig(), { number: 4, cause: { type: 'GitHub', revision: 'abc123' }, pending: true });
    expect(run.metadata.name).toBe('app-4');
    expect(run.spec.status).toBe('PipelineRunPending');
    expect(run.spec.params).toEqual([{ name: 'REVISION', value: 'abc123' }]);
    expect(run.metadata.annotations).toEqual({ 'imagestreams.dev/cause': 'GitHub', 'imagestreams.dev/commit': 'abc123' });
  });

  it('passes no REVISION for an inline Dockerfile, and the spec\'s BASE_IMAGE/REVISION params never override the controller\'s', () => {
    const bc = fakeBuildConfig({ source: { type: 'Dockerfile', dockerfile: 'FROM x' }, params: [{ name: 'BASE_IMAGE', value: 'stale' }, { name: 'A', value: ['1', '2'] }] });
    const run = pipelineRunFor(bc, { number: 1, cause: { type: 'ConfigChange', generation: 1 }, baseImage: 'reg/b@sha256:1', pending: false });
    expect(run.spec.params).toEqual([{ name: 'A', value: ['1', '2'] }, { name: 'BASE_IMAGE', value: 'reg/b@sha256:1' }]);
    expect(run.spec.status).toBeUndefined();
  });
});
