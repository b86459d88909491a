/**
 * The pods our manifests make, as plain Pod specs for the PodSecurity admission to judge: the pod
 * template of each Deployment, StatefulSet, DaemonSet, Job and CronJob (its jobTemplate), and for
 * each Tekton Task that a BuildConfig's Pipeline runs, the pod Tekton makes of it — one container per
 * step (`step-<name>`, the Task's stepTemplate merged under each step's own fields), one per sidecar,
 * the Task's volumes and a volume per workspace, and the pod-level settings and ServiceAccount that
 * the BuildConfig's PipelineRuns give (`pipelineRunFor`: taskRunTemplate.podTemplate). Tekton's own
 * init containers (its entrypoint and script placement) are Tekton's to secure, not included.
 */
import { pipelineRunFor, type BuildConfigLike } from '../../lib/api/build-run';
import type { Manifest } from '../support/synth-app';

/** What we claim for a pod (README "Security model"): our own pods "restricted", build steps "baseline". */
export type Level = 'restricted' | 'baseline';

export interface PodCase {
  /** `Kind/namespace/name` of the object it comes from (and the BuildConfig, for a Task). */
  readonly source: string;
  readonly level: Level;
  readonly serviceAccountName: string;
  readonly spec: Record<string, any>;
  readonly labels: Record<string, string>;
}

/** The pod template labels of our own pods, and the level each claims. */
const OWN_COMPONENTS: Record<string, Level> = {
  controller: 'restricted', registry: 'restricted', 'registry-credentials': 'restricted', importer: 'restricted', 'git-poll': 'restricted',
};

const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'], StatefulSet: ['spec', 'template'], DaemonSet: ['spec', 'template'], Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const id = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

/**
 * Every pod of `objects` we claim a level for, and (in `others`) the workloads that are the app's
 * own (the examples' Deployments), which claim none.
 */
export function podCases(objects: readonly Manifest[]): { pods: PodCase[]; others: string[] } {
  const pods: PodCase[] = [];
  const others: string[] = [];
  for (const o of objects) {
    const path = TEMPLATE_PATHS[o.kind];
    if (!path) continue;
    let template: any = o;
    for (const field of path) template = template?.[field];
    const labels: Record<string, string> = template?.metadata?.labels ?? {};
    const level = OWN_COMPONENTS[labels['app.kubernetes.io/component']];
    if (!level) {
      others.push(id(o));
      continue;
    }
    pods.push({ source: id(o), level, serviceAccountName: template.spec.serviceAccountName ?? 'default', spec: template.spec, labels });
  }
  for (const bc of objects.filter((o) => o.kind === 'BuildConfig')) pods.push(...buildPods(objects, bc));
  return { pods, others };
}

/** The pods of one BuildConfig's builds: one per Task its Pipeline runs. */
function buildPods(objects: readonly Manifest[], bc: Manifest): PodCase[] {
  const namespace = bc.metadata.namespace;
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const pipeline = find('Pipeline', bc.spec.pipelineRef.name);
  if (!pipeline) throw new Error(`${id(bc)}: its Pipeline ${bc.spec.pipelineRef.name} is not among the objects`);
  const run = pipelineRunFor(bc as unknown as BuildConfigLike, { type: 'Manual' }, { naming: { number: 1 } });
  const podTemplate = run.spec.taskRunTemplate?.podTemplate ?? {};
  const serviceAccountName = run.spec.taskRunTemplate?.serviceAccountName ?? 'default';
  return (pipeline.spec.tasks as { name: string; taskRef: { name: string } }[]).map((pipelineTask) => {
    const task = find('Task', pipelineTask.taskRef.name);
    if (!task) throw new Error(`${id(pipeline)}: its Task ${pipelineTask.taskRef.name} is not among the objects`);
    return {
      source: `${id(task)} (run by ${id(bc)})`,
      level: 'baseline' as const,
      serviceAccountName,
      spec: { ...podTemplate, ...taskPodSpec(task.spec) },
      labels: { 'tekton.dev/task': task.metadata.name },
    };
  });
}

/** The parts of Tekton's pod for a Task that Pod Security looks at. */
export function taskPodSpec(task: Record<string, any>): Record<string, any> {
  const template = task.stepTemplate ?? {};
  const workspaces: { name: string; mountPath?: string }[] = task.workspaces ?? [];
  const volumes = [...(task.volumes ?? []), ...workspaces.map((w) => ({ name: `ws-${w.name}`, emptyDir: {} }))];
  const known = new Set(volumes.map((v: { name: string }) => v.name));
  const container = (prefix: string, step: Record<string, any>) => ({
    name: `${prefix}-${step.name}`,
    image: withDefaults(step.image ?? template.image, task),
    ...(step.securityContext || template.securityContext ? { securityContext: { ...template.securityContext, ...step.securityContext } } : {}),
    ...(step.computeResources ?? template.computeResources ? { resources: step.computeResources ?? template.computeResources } : {}),
    volumeMounts: [
      ...[...(template.volumeMounts ?? []), ...(step.volumeMounts ?? [])].filter((m: { name: string }) => known.has(m.name)),
      ...workspaces.map((w) => ({ name: `ws-${w.name}`, mountPath: w.mountPath ?? `/workspace/${w.name}` })),
    ],
  });
  return {
    restartPolicy: 'Never',
    containers: [...task.steps.map((s: Record<string, any>) => container('step', s)), ...(task.sidecars ?? []).map((s: Record<string, any>) => container('sidecar', s))],
    volumes,
  };
}

/** `$(params.X)` in an image, replaced by the param's default (or a placeholder) as a run would. */
function withDefaults(image: string, task: Record<string, any>): string {
  return image.replace(/\$\(params\.([A-Za-z0-9_-]+)\)/g, (_, name: string) => {
    const value = (task.params ?? []).find((p: { name: string }) => p.name === name)?.default;
    return typeof value === 'string' && value !== '' ? value : 'registry.invalid/param:1';
  });
}

/**
 * The same pod made privileged (and allowed to escalate, which privileged implies): what every
 * level refuses. A pod in a user namespace can't be privileged at all, so it leaves hostUsers unset.
 */
export function privileged(spec: Record<string, any>): Record<string, any> {
  const [first, ...rest] = spec.containers;
  const { hostUsers: _, ...pod } = spec;
  return { ...pod, containers: [{ ...first, securityContext: { ...first.securityContext, privileged: true, allowPrivilegeEscalation: true } }, ...rest] };
}
