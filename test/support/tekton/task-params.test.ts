import { describe, expect, it } from 'vitest';
import { resolvePipelineParams } from './task-params';

describe('resolvePipelineParams (Tekton >= 1.x: defaults that refer to params)', () => {
  const pipeline = {
    params: [
      { name: 'REGISTRY', default: 'r.io' },
      { name: 'IMAGE', default: '$(params.REGISTRY)/app' },
      { name: 'TEXT', default: 'RUN echo $(date) $(params.IMAGE)' },
      { name: 'ARGS', type: 'array' as const, default: ['A=$(params.IMAGE)', 'B=$(params.NOPE)'] },
      { name: 'GIVEN', default: '' },
    ],
  };

  it('resolves string defaults recursively and array default items once; run values stay as given', () => {
    const values = resolvePipelineParams(pipeline, { GIVEN: '$(params.REGISTRY)' });
    expect(Object.fromEntries(values)).toEqual({
      REGISTRY: 'r.io', IMAGE: 'r.io/app', TEXT: 'RUN echo $(date) r.io/app', ARGS: ['A=r.io/app', 'B=$(params.NOPE)'], GIVEN: '$(params.REGISTRY)',
    });
  });

  it('fails the run on a string default that names no param', () => {
    expect(() => resolvePipelineParams({ params: [{ name: 'X', default: 'FROM $(params.base)' }] }, {})).toThrowError(
      'parameter resolution failed: references undefined param "params.base"',
    );
  });
});
