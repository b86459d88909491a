import type { ParamValue, Step, TaskSpec } from '../../../constructs/tekton';
import type { VariableScope } from './substitute';

/** What one TaskRun provides to its steps' variables. */
export interface TaskRunValues {
  readonly params: ReadonlyMap<string, ParamValue>;
  /** Bound workspaces: Task workspace name → host directory. */
  readonly workspaces: Readonly<Record<string, string>>;
  readonly resultsDir: string;
  readonly context: Readonly<Record<string, string>>;
}

/** Workspaces that some step lists: Tekton then mounts them only into those steps. */
function isolatedWorkspaces(task: TaskSpec): Set<string> {
  return new Set(task.steps.flatMap((step) => (step.workspaces ?? []).map((ws) => ws.name)));
}

function visibleWorkspaces(task: TaskSpec, step: Step): string[] {
  const isolated = isolatedWorkspaces(task);
  const own = new Set((step.workspaces ?? []).map((ws) => ws.name));
  return (task.workspaces ?? []).map((ws) => ws.name).filter((name) => !isolated.has(name) || own.has(name));
}

export function stepScope(task: TaskSpec, step: Step, values: TaskRunValues): VariableScope {
  const strings = new Map<string, string>();
  const arrays = new Map<string, readonly string[]>();
  for (const [name, value] of values.params) {
    if (typeof value === 'string') strings.set(`params.${name}`, value);
    else arrays.set(`params.${name}`, value);
  }
  for (const name of visibleWorkspaces(task, step)) {
    const hostDir = values.workspaces[name];
    // An unbound optional workspace has an empty path (Tekton's documented behaviour).
    strings.set(`workspaces.${name}.path`, hostDir ?? '');
    strings.set(`workspaces.${name}.bound`, hostDir === undefined ? 'false' : 'true');
  }
  for (const result of task.results ?? []) {
    strings.set(`results.${result.name}.path`, `${values.resultsDir}/${result.name}`);
  }
  for (const [name, value] of Object.entries(values.context)) strings.set(`context.${name}`, value);
  return { strings, arrays };
}
