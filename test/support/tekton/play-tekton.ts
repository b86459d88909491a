/**
 * Tekton's part in an end-to-end test, where no Tekton controller runs: a PipelineRun the controller
 * created on the real API server is run with the local step runner — the Pipeline and Tasks the app
 * synthesized, the run's params, its Secret workspaces as the kubelet mounts them — and its status and
 * results are written back as Tekton writes them.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PipelineSpec, TaskSpec } from '../../../lib/api/tekton';
import { PIPELINERUNS } from '../../../lib/api/group';
import type { PipelineRun } from '../../../lib/api/pipeline-run';
import type { KubeClient } from '../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { runPipeline } from './run-pipeline';

export interface PlayTektonOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  /** The synthesized app: its Pipelines and Tasks (none needed for runs that embed their Pipeline). */
  readonly objects: readonly { readonly kind: string; readonly metadata: { readonly name?: string }; readonly spec?: unknown }[];
  /** A scratch folder for the runs' workspaces. */
  readonly dir: string;
  /** Host names the steps resolve (a Service's name → loopback). */
  readonly hosts?: Record<string, string>;
}

interface Secret extends KubeObject {
  readonly data: Record<string, string>;
}

/** Runs the PipelineRun `name` to success and returns its results; a failed step throws with every step's log. */
export async function playTekton(options: PlayTektonOptions, name: string): Promise<Record<string, string>> {
  const runs = options.kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: options.namespace });
  const run = await runs.get(name);
  // A BuildConfig without a Pipeline of its own: the controller embeds it (and its Tasks) in the run.
  const pipeline = run.spec.pipelineSpec ?? options.objects.find((o) => o.kind === 'Pipeline' && o.metadata.name === run.spec.pipelineRef?.name)!.spec as unknown as PipelineSpec;
  const tasks = Object.fromEntries(options.objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name!, o.spec as unknown as TaskSpec]));
  const params = Object.fromEntries((run.spec.params ?? []).map((p) => [p.name, p.value as string]));
  const source = mkdtempSync(path.join(options.dir, `${name}-source-`));
  chmodSync(source, 0o755);
  const startTime = tektonTime();
  const outcome = await runPipeline({
    pipeline, tasks, params, name, workspaces: { source, ...await secretWorkspaces(options, run) },
    ...(options.hosts ? { hosts: options.hosts } : {}),
  });
  if (outcome.message !== undefined) throw new Error(`${name} failed in ${outcome.failedTask}/${outcome.failedStep}: ${outcome.message}\n${JSON.stringify(outcome.logs, null, 2)}`);
  const now = tektonTime();
  await runs.mergePatchStatus(name, {
    status: {
      startTime, completionTime: now,
      conditions: [{ type: 'Succeeded', status: 'True', lastTransitionTime: now, reason: 'Succeeded', message: 'Tasks Completed: 2' }],
      results: Object.entries(outcome.results).map(([n, value]) => ({ name: n, value })),
    },
  });
  return outcome.results;
}

/** Each Secret workspace of the run as the kubelet mounts it: a directory of its keys. */
async function secretWorkspaces(options: PlayTektonOptions, run: PipelineRun): Promise<Record<string, string>> {
  const bound: Record<string, string> = {};
  for (const ws of run.spec.workspaces ?? []) {
    const secretName = (ws as { secret?: { secretName: string } }).secret?.secretName;
    if (!secretName) continue;
    const secret = await options.kube.resource<Secret>({ apiVersion: 'v1', resource: 'secrets', namespace: options.namespace }).get(secretName);
    const at = path.join(options.dir, `${run.metadata.name}-${ws.name}`);
    mkdirSync(at);
    for (const [key, value] of Object.entries(secret.data)) writeFileSync(path.join(at, key), Buffer.from(value, 'base64'));
    bound[ws.name] = at;
  }
  return bound;
}

/** Tekton's timestamps: RFC 3339 in whole seconds. */
const tektonTime = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
