/** The workloads whose pod templates image triggers may set, and where each keeps its pod spec. */
export interface WorkloadKind {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';
  readonly apiVersion: string;
  readonly resource: string;
  /** Field names from the object's root to its PodSpec. */
  readonly podSpecPath: readonly string[];
}

const TEMPLATE = ['spec', 'template', 'spec'];

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments', podSpecPath: TEMPLATE },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets', podSpecPath: TEMPLATE },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets', podSpecPath: TEMPLATE },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs', podSpecPath: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
];

export function workloadKind(kind: string): WorkloadKind | undefined {
  return WORKLOAD_KINDS.find((k) => k.kind === kind);
}
