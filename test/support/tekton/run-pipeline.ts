import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParamValue, PipelineSpec, PipelineTask, TaskSpec } from '../../../lib/api/tekton';
import { validateTask } from './prepare-step';
import { declaredResults, pipelineScope } from './pipeline-scope';
import { substitute, substituteArray, TektonValidationError, type VariableScope } from './substitute';
import { orderTasks } from './task-order';
import { resolvePipelineParams } from './task-params';
import { runTaskRun } from './task-run';
import type { HostMount } from './run-step';

export interface RunPipelineOptions {
  readonly pipeline: PipelineSpec;
  /** Task specs by the name that `taskRef.name` uses (pipeline tasks with `taskSpec` embed theirs). */
  readonly tasks: Readonly<Record<string, TaskSpec>>;
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Pipeline workspace name → host directory (a secret workspace = a directory of key files). */
  readonly workspaces?: Readonly<Record<string, string>>;
  /** Extra env for every step (e.g. REGISTRIES_CONFIG_PATH); step env wins. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 'run' */
  readonly name?: string;
  /**
   * Names the steps resolve to these addresses, as a pod's `hostAliases` would: written over
   * /etc/hosts in each step's mount namespace (e.g. a cluster Service name for a local registry).
   * @default - the machine's /etc/hosts
   */
  readonly hosts?: Readonly<Record<string, string>>;
}

export interface PipelineRunOutcome {
  readonly succeeded: boolean;
  /** The Pipeline's results. */
  readonly results: Record<string, string>;
  readonly taskResults: Record<string, Record<string, string>>;
  /** 'task/step' → combined stdout and stderr. */
  readonly logs: Record<string, string>;
  /** 'task/step' → the step's wall time in ms. */
  readonly durations: Record<string, number>;
  readonly failedTask?: string;
  readonly failedStep?: string;
  readonly message?: string;
}

function taskParams(task: PipelineTask, scope: VariableScope): Record<string, ParamValue> {
  const where = `pipeline task "${task.name}" param`;
  return Object.fromEntries(
    (task.params ?? []).map((p) => [
      p.name,
      typeof p.value === 'string' ? substitute(p.value, scope, `${where} ${p.name}`) : substituteArray(p.value, scope, `${where} ${p.name}`),
    ]),
  );
}

function taskWorkspaces(task: PipelineTask, bound: Readonly<Record<string, string>>, pipeline: PipelineSpec): Record<string, string> {
  const declared = new Set((pipeline.workspaces ?? []).map((ws) => ws.name));
  const result: Record<string, string> = {};
  for (const binding of task.workspaces ?? []) {
    if (!declared.has(binding.workspace)) {
      throw new TektonValidationError(`pipeline task "${task.name}" binds unknown pipeline workspace "${binding.workspace}"`);
    }
    const hostDir = bound[binding.workspace];
    if (hostDir !== undefined) result[binding.name] = binding.subPath ? path.join(hostDir, binding.subPath) : hostDir;
  }
  return result;
}

/** The Task a pipeline task runs: embedded (`taskSpec`), or the one its `taskRef` names. */
export function taskOf(pt: PipelineTask, tasks: Readonly<Record<string, TaskSpec>>): TaskSpec {
  if (pt.taskSpec) return pt.taskSpec;
  const task = pt.taskRef && tasks[pt.taskRef.name];
  if (!task) throw new TektonValidationError(`pipeline task "${pt.name}" refers to unknown Task "${pt.taskRef?.name}"`);
  return task;
}

/** $(context.task.name): the referenced Task's name; an embedded Task has none, Tekton gives the pipeline task's. */
function taskName(pt: PipelineTask): string {
  return pt.taskRef?.name ?? pt.name;
}

/** Everything Tekton checks before it starts a PipelineRun: names, params, references. */
function validatePipeline(options: RunPipelineOptions, params: ReadonlyMap<string, ParamValue>, context: Record<string, string>): PipelineTask[] {
  const { pipeline, tasks } = options;
  for (const ws of pipeline.workspaces ?? []) {
    if (!ws.optional && options.workspaces?.[ws.name] === undefined) {
      throw new TektonValidationError(`pipeline workspace "${ws.name}" is not bound`);
    }
  }
  const ordered = orderTasks(pipeline.tasks);
  const scope = pipelineScope(params, declaredResults(pipeline, tasks), Object.keys(options.workspaces ?? {}), pipeline, context);
  for (const pt of ordered) {
    const task = taskOf(pt, tasks);
    taskParams(pt, scope);
    taskWorkspaces(pt, options.workspaces ?? {}, pipeline);
    validateTask(task, `pipeline task "${pt.name}"`, { ...context, 'taskRun.name': 'x', 'task.name': taskName(pt) });
  }
  for (const result of pipeline.results ?? []) substitute(result.value, scope, `pipeline result "${result.name}"`);
  return ordered;
}

/**
 * Runs a Pipeline and its Tasks exactly as emitted, with this machine's git and buildah in place
 * of the step images. Invalid objects (unknown variables, params, workspaces) throw
 * TektonValidationError before any step runs; a failing step makes `succeeded: false`.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineRunOutcome> {
  const runName = options.name ?? 'run';
  const context = { 'pipelineRun.name': runName, 'pipelineRun.namespace': 'default', 'pipeline.name': 'pipeline' };
  const params = resolvePipelineParams(options.pipeline, options.params ?? {});
  const ordered = validatePipeline(options, params, context);
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'tekton-run-'));
  await chmod(runDir, 0o755); // steps that run as a non-root uid read their scripts from here
  const taskResults: Record<string, Record<string, string>> = {};
  const logs: Record<string, string> = {};
  const durations: Record<string, number> = {};
  try {
    const mounts = options.hosts ? [await hostsMount(runDir, options.hosts)] : [];
    for (const pt of ordered) {
      const scope = pipelineScope(params, taskResults, Object.keys(options.workspaces ?? {}), options.pipeline, context);
      const outcome = await runTaskRun({
        task: taskOf(pt, options.tasks),
        where: `pipeline task "${pt.name}"`,
        params: taskParams(pt, scope),
        workspaces: taskWorkspaces(pt, options.workspaces ?? {}, options.pipeline),
        runDir: path.join(runDir, 'tasks', pt.name),
        context: { ...context, 'taskRun.name': `${runName}-${pt.name}`, 'task.name': taskName(pt) },
        env: options.env ?? {},
        mounts,
      });
      taskResults[pt.name] = outcome.results;
      for (const [step, log] of Object.entries(outcome.logs)) logs[`${pt.name}/${step}`] = log;
      for (const [step, ms] of Object.entries(outcome.durations)) durations[`${pt.name}/${step}`] = ms;
      if (!outcome.succeeded) {
        return { succeeded: false, results: {}, taskResults, logs, durations, failedTask: pt.name, failedStep: outcome.failedStep, message: outcome.message };
      }
    }
    const scope = pipelineScope(params, taskResults, Object.keys(options.workspaces ?? {}), options.pipeline, context);
    const results = Object.fromEntries(
      (options.pipeline.results ?? []).map((r) => [r.name, substitute(r.value, scope, `pipeline result "${r.name}"`)]),
    );
    return { succeeded: true, results, taskResults, logs, durations };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

/** The machine's /etc/hosts with `hosts` added, as a file to bind over /etc/hosts. */
async function hostsMount(runDir: string, hosts: Readonly<Record<string, string>>): Promise<HostMount> {
  const file = path.join(runDir, 'hosts');
  const lines = Object.entries(hosts).map(([name, address]) => `${address} ${name}`);
  await writeFile(file, `${await readFile('/etc/hosts', 'utf8')}\n${lines.join('\n')}\n`, { mode: 0o644 });
  return { hostDir: file, mountPath: '/etc/hosts' };
}
