import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { TektonPipeline, TektonTask } from '../../../constructs/tekton';

describe('TektonTask and TektonPipeline', () => {
  it('synthesize tekton.dev/v1 objects with the typed spec as given', () => {
    // GIVEN a chart with a Task and a Pipeline that uses it
    const chart = Testing.chart();
    new TektonTask(chart, 'task', {
      metadata: { name: 'hello' },
      spec: {
        params: [{ name: 'WHO', type: 'string', default: 'world' }],
        steps: [{ name: 'say', image: 'busybox', env: [{ name: 'WHO', value: '$(params.WHO)' }], script: 'echo "$WHO"' }],
      },
    });
    new TektonPipeline(chart, 'pipeline', {
      metadata: { name: 'greet' },
      spec: { tasks: [{ name: 'say', taskRef: { name: 'hello' }, params: [{ name: 'WHO', value: 'you' }] }] },
    });
    // WHEN synthesized
    const [task, pipeline] = Testing.synth(chart);
    // THEN both carry Tekton's v1 apiVersion, their kind and the spec untouched
    expect(task).toEqual({
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'hello' },
      spec: {
        params: [{ name: 'WHO', type: 'string', default: 'world' }],
        steps: [{ name: 'say', image: 'busybox', env: [{ name: 'WHO', value: '$(params.WHO)' }], script: 'echo "$WHO"' }],
      },
    });
    expect(pipeline).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'greet' } });
    expect(pipeline.spec.tasks[0].taskRef).toEqual({ name: 'hello' });
  });
});
