import * as path from 'node:path';
import type { EnvVar, Step, TaskSpec } from '../../../constructs/tekton';
import { expandContainer, SERVICE_ENV } from './kubernetes-expand';
import { stepScope, type TaskRunValues } from './step-scope';
import { substitute, substituteArray, TektonValidationError } from './substitute';

/** A step after Tekton's merging and substitution and the kubelet's expansion, ready to run. */
export interface PreparedStep {
  readonly name: string;
  readonly image: string;
  readonly script: string;
  readonly args: string[];
  /** The container's env as the kubelet makes it: its own (expanded) and the service links. */
  readonly env: Record<string, string>;
  readonly workingDir?: string;
  /** Volume name → mount path. */
  readonly volumeMounts: ReadonlyMap<string, string>;
  readonly step: Step;
}

/** Tekton merges each step over stepTemplate; env and volumeMounts merge by name. */
export function mergeStepTemplate(task: TaskSpec, step: Step): Step {
  const template = task.stepTemplate ?? {};
  const byName = <T extends { name: string }>(base: readonly T[] = [], own: readonly T[] = []): T[] =>
    [...base.filter((item) => !own.some((o) => o.name === item.name)), ...own];
  return {
    ...template,
    ...step,
    env: byName(template.env, step.env),
    volumeMounts: byName(template.volumeMounts, step.volumeMounts),
    securityContext: step.securityContext ?? template.securityContext,
  };
}

function envValue(variable: EnvVar, where: string): string {
  if (variable.value === undefined) {
    throw new TektonValidationError(`${where}: env ${variable.name} uses valueFrom, which the local runner cannot resolve`);
  }
  return variable.value;
}

export function prepareStep(task: TaskSpec, rawStep: Step, values: TaskRunValues, where: string): PreparedStep {
  const step = mergeStepTemplate(task, rawStep);
  const at = `${where} step "${step.name}"`;
  if (step.script === undefined) throw new TektonValidationError(`${at}: the local runner only runs steps with a script`);
  const scope = stepScope(task, step, values);
  const volumes = new Set((task.volumes ?? []).map((volume) => volume.name));
  const volumeMounts = new Map<string, string>();
  for (const mount of step.volumeMounts ?? []) {
    if (!volumes.has(mount.name)) throw new TektonValidationError(`${at}: volumeMount "${mount.name}" names no volume of the Task`);
    volumeMounts.set(mount.name, substitute(mount.mountPath, scope, `${at} volumeMounts`));
  }
  const tektonEnv = (step.env ?? []).map((variable) => ({ name: variable.name, value: substitute(envValue(variable, at), scope, `${at} env ${variable.name}`) }));
  // Then the kubelet: $(NAME) and $$ in env values and args (never in the script, which Tekton
  // hands over base64-encoded).
  const container = expandContainer(tektonEnv, substituteArray(step.args ?? [], scope, `${at} args`));
  return {
    name: step.name,
    image: substitute(step.image ?? '', scope, `${at} image`),
    script: substitute(step.script, scope, `${at} script`),
    args: container.args,
    env: { ...SERVICE_ENV, ...container.env },
    workingDir: step.workingDir === undefined ? undefined : substitute(step.workingDir, scope, `${at} workingDir`),
    volumeMounts,
    step,
  };
}

/** Placeholder values for every declared name: substitution then checks references only. */
export function placeholderValues(task: TaskSpec, context: Readonly<Record<string, string>>): TaskRunValues {
  const params = new Map((task.params ?? []).map((param) => [param.name, param.type === 'array' ? ['x'] : 'x'] as const));
  const workspaces = Object.fromEntries((task.workspaces ?? []).map((ws) => [ws.name, path.join('/placeholder', ws.name)]));
  return { params, workspaces, resultsDir: '/placeholder/results', context };
}

/** Checks every `$(...)` of every step before anything runs, as Tekton's admission would. */
export function validateTask(task: TaskSpec, where: string, context: Readonly<Record<string, string>>): void {
  const values = placeholderValues(task, context);
  for (const step of task.steps) prepareStep(task, step, values, where);
}
