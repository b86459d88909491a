import { describe, expect, it } from 'vitest';
import type { PipelineTask } from '../../../constructs/tekton';
import { dependenciesOf, orderTasks } from './task-order';

const task = (name: string, extra: Partial<PipelineTask> = {}): PipelineTask => ({ name, taskRef: { name: 't' }, ...extra });

describe('orderTasks', () => {
  it('runs a task after the tasks whose results it reads, without runAfter', () => {
    // GIVEN build reads generate's result and generate runs after fetch, listed backwards
    const tasks = [
      task('build', { params: [{ name: 'C', value: '$(tasks.generate.results.CONTEXT)' }] }),
      task('generate', { runAfter: ['fetch'] }),
      task('fetch'),
    ];
    // WHEN ordered THEN dependencies come first
    expect(orderTasks(tasks).map((t) => t.name)).toEqual(['fetch', 'generate', 'build']);
  });

  it('finds result references inside array param values', () => {
    const t = task('b', { params: [{ name: 'L', value: ['x=$(tasks.a.results.R)'] }], runAfter: ['c'] });
    expect(dependenciesOf(t)).toEqual(['c', 'a']);
  });

  it('rejects an unknown dependency and a cycle', () => {
    expect(() => orderTasks([task('a', { runAfter: ['nope'] })])).toThrowError(
      'pipeline task "a" depends on unknown task "nope"',
    );
    expect(() => orderTasks([task('a', { runAfter: ['b'] }), task('b', { runAfter: ['a'] })])).toThrowError(
      'pipeline tasks form a cycle: a, b',
    );
  });
});
