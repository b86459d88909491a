import type { ParamValue, PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import type { VariableScope } from './substitute';

/** Variables of a Pipeline: its params, finished tasks' results, bound workspaces, context. */
export function pipelineScope(
  params: ReadonlyMap<string, ParamValue>,
  taskResults: Readonly<Record<string, Readonly<Record<string, string>>>>,
  boundWorkspaces: readonly string[],
  pipeline: PipelineSpec,
  context: Readonly<Record<string, string>>,
): VariableScope {
  const strings = new Map<string, string>();
  const arrays = new Map<string, readonly string[]>();
  for (const [name, value] of params) {
    if (typeof value === 'string') strings.set(`params.${name}`, value);
    else arrays.set(`params.${name}`, value);
  }
  for (const [task, results] of Object.entries(taskResults)) {
    for (const [name, value] of Object.entries(results)) strings.set(`tasks.${task}.results.${name}`, value);
  }
  for (const ws of pipeline.workspaces ?? []) {
    strings.set(`workspaces.${ws.name}.bound`, boundWorkspaces.includes(ws.name) ? 'true' : 'false');
  }
  for (const [name, value] of Object.entries(context)) strings.set(`context.${name}`, value);
  return { strings, arrays };
}

/** Every result each pipeline task's Task declares, with a placeholder value (for validation). */
export function declaredResults(
  pipeline: PipelineSpec,
  tasks: Readonly<Record<string, TaskSpec>>,
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    pipeline.tasks.map((pt) => [pt.name, Object.fromEntries(((pt.taskSpec ?? (pt.taskRef && tasks[pt.taskRef.name]))?.results ?? []).map((r) => [r.name, 'x']))]),
  );
}
