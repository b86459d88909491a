import { chmod, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ParamValue, TaskSpec } from '../../../constructs/tekton';
import { prepareStep, type PreparedStep } from './prepare-step';
import { runStepProcess, type HostMount } from './run-step';
import { TektonValidationError } from './substitute';
import { resolveParams } from './task-params';

/** Tekton passes results through the termination message, limited to 4096 bytes per TaskRun. */
export const MAX_RESULTS_BYTES = 4096;

/**
 * Paths a container has to itself although no volume is declared: buildah's run root would
 * otherwise be this machine's, shared with every other buildah here.
 */
const CONTAINER_PRIVATE_PATHS = ['/run/containers'];

export interface TaskRunInput {
  readonly task: TaskSpec;
  /** For messages: 'pipeline task "build"'. */
  readonly where: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly workspaces: Readonly<Record<string, string>>;
  readonly runDir: string;
  readonly context: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Mounts every step gets besides its volumes (e.g. a hosts file over /etc/hosts). @default - none */
  readonly mounts?: readonly HostMount[];
}

export interface TaskRunOutcome {
  readonly succeeded: boolean;
  /** Raw file contents, as Tekton keeps them (no trimming). */
  readonly results: Record<string, string>;
  /** Step name → combined stdout and stderr. */
  readonly logs: Record<string, string>;
  /** Step name → its wall time in ms. */
  readonly durations: Record<string, number>;
  readonly failedStep?: string;
  readonly message?: string;
}

function checkWorkspaces(input: TaskRunInput): void {
  for (const ws of input.task.workspaces ?? []) {
    if (!ws.optional && input.workspaces[ws.name] === undefined) {
      throw new TektonValidationError(`${input.where}: workspace "${ws.name}" is not bound`);
    }
  }
  const declared = new Set((input.task.workspaces ?? []).map((ws) => ws.name));
  for (const name of Object.keys(input.workspaces)) {
    if (!declared.has(name)) throw new TektonValidationError(`${input.where}: the Task has no workspace "${name}"`);
  }
}

async function mountsFor(step: PreparedStep, runDir: string): Promise<HostMount[]> {
  const mounts: HostMount[] = [];
  for (const [volume, mountPath] of step.volumeMounts) {
    mounts.push({ hostDir: path.join(runDir, 'volumes', volume), mountPath });
  }
  for (const mountPath of CONTAINER_PRIVATE_PATHS) {
    mounts.push({ hostDir: path.join(runDir, 'private', step.name, mountPath.replace(/\//g, '_')), mountPath });
  }
  await Promise.all(mounts.map((mount) => mkdir(mount.hostDir, { recursive: true })));
  return mounts;
}

async function readResults(task: TaskSpec, resultsDir: string): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const result of task.results ?? []) {
    const text = await readFile(path.join(resultsDir, result.name), 'utf8').catch(() => undefined);
    if (text !== undefined) results[result.name] = text;
  }
  return results;
}

export async function runTaskRun(input: TaskRunInput): Promise<TaskRunOutcome> {
  checkWorkspaces(input);
  const params = resolveParams(input.task, input.params, input.where);
  const resultsDir = path.join(input.runDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  // Tekton's /tekton/results and /tekton/home are emptyDirs (mode 0777): steps of any uid write there.
  await chmod(resultsDir, 0o777);
  // A volume (and a subPath in it) always exists when a pod starts.
  await Promise.all(Object.values(input.workspaces).map((dir) => mkdir(dir, { recursive: true })));
  const values = { params, workspaces: input.workspaces, resultsDir, context: input.context };
  const steps = input.task.steps.map((step) => prepareStep(input.task, step, values, input.where));
  const logs: Record<string, string> = {};
  const durations: Record<string, number> = {};
  for (const step of steps) {
    const home = path.join(input.runDir, 'home', step.name);
    await mkdir(home, { recursive: true });
    await chmod(home, 0o777);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...input.env, ...step.env };
    const cwd = step.workingDir ?? input.runDir;
    await mkdir(cwd, { recursive: true }); // Tekton creates a missing workingDir too
    const mounts = [...await mountsFor(step, input.runDir), ...(input.mounts ?? [])];
    const started = performance.now();
    const exit = await runStepProcess(
      { script: step.script, args: step.args, env, cwd, mounts, securityContext: step.step.securityContext, scriptDir: input.runDir },
      step.name,
    );
    logs[step.name] = exit.log;
    durations[step.name] = performance.now() - started;
    if (exit.exitCode !== 0) {
      const message = `${input.where} step "${step.name}" exited with code ${exit.exitCode}`;
      return { succeeded: false, results: await readResults(input.task, resultsDir), logs, durations, failedStep: step.name, message };
    }
  }
  const results = await readResults(input.task, resultsDir);
  const size = Object.values(results).reduce((sum, value) => sum + Buffer.byteLength(value), 0);
  if (size > MAX_RESULTS_BYTES) {
    return { succeeded: false, results, logs, durations, message: `${input.where}: results take ${size} bytes, more than ${MAX_RESULTS_BYTES}` };
  }
  return { succeeded: true, results, logs, durations };
}
