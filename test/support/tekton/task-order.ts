import type { PipelineTask } from '../../../constructs/tekton';
import { TektonValidationError } from './substitute';

/** The tasks a pipeline task waits for: its runAfter plus every task whose results it reads. */
export function dependenciesOf(task: PipelineTask): string[] {
  const fromResults = (task.params ?? [])
    .flatMap((param) => (typeof param.value === 'string' ? [param.value] : [...param.value]))
    .flatMap((value) => [...value.matchAll(/\$\(tasks\.([^.)]+)\.results\./g)].map((match) => match[1]));
  return [...new Set([...(task.runAfter ?? []), ...fromResults])];
}

/** Orders pipeline tasks so each runs after what it depends on (Kahn's algorithm, stable). */
export function orderTasks(tasks: readonly PipelineTask[]): PipelineTask[] {
  const names = new Set(tasks.map((task) => task.name));
  for (const task of tasks) {
    for (const dependency of dependenciesOf(task)) {
      if (!names.has(dependency)) {
        throw new TektonValidationError(`pipeline task "${task.name}" depends on unknown task "${dependency}"`);
      }
    }
  }
  const ordered: PipelineTask[] = [];
  const done = new Set<string>();
  while (ordered.length < tasks.length) {
    const ready = tasks.find((task) => !done.has(task.name) && dependenciesOf(task).every((dep) => done.has(dep)));
    if (!ready) {
      const stuck = tasks.filter((task) => !done.has(task.name)).map((task) => task.name);
      throw new TektonValidationError(`pipeline tasks form a cycle: ${stuck.join(', ')}`);
    }
    ordered.push(ready);
    done.add(ready.name);
  }
  return ordered;
}
