/** The built-in kinds the stand-in serves without a CRD (plus Tekton's, which our system emits). */
import { PrinterColumn, ResourceType } from './types';

/** The columns Tekton's own CRDs declare for runs, so `kubectl get pr` prints as on a cluster. */
const RUN_COLUMNS: PrinterColumn[] = [
  { name: 'Succeeded', type: 'string', jsonPath: '.status.conditions[?(@.type=="Succeeded")].status' },
  { name: 'Reason', type: 'string', jsonPath: '.status.conditions[?(@.type=="Succeeded")].reason' },
  { name: 'StartTime', type: 'date', jsonPath: '.status.startTime' },
  { name: 'CompletionTime', type: 'date', jsonPath: '.status.completionTime' },
];

interface BuiltinSpec {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  hasStatus?: boolean;
  categories?: string[];
  printerColumns?: PrinterColumn[];
}

const SPECS: BuiltinSpec[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], hasStatus: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], hasStatus: true, categories: ['all'] },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], hasStatus: true, categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], hasStatus: true, categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], hasStatus: true, categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], hasStatus: true, categories: ['all'] },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true, hasStatus: true, categories: ['all'] },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], hasStatus: true, categories: ['all'] },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
  { group: 'events.k8s.io', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], hasStatus: true },
  // Tekton is a CRD in a real cluster; served built-in here (schema-less) so tests need not install it.
  { group: 'tekton.dev', version: 'v1', plural: 'pipelines', kind: 'Pipeline', namespaced: true, categories: ['tekton', 'tekton-pipelines'] },
  { group: 'tekton.dev', version: 'v1', plural: 'tasks', kind: 'Task', namespaced: true, categories: ['tekton', 'tekton-pipelines'] },
  { group: 'tekton.dev', version: 'v1', plural: 'pipelineruns', kind: 'PipelineRun', namespaced: true, shortNames: ['pr', 'prs'], hasStatus: true, categories: ['tekton', 'tekton-pipelines'], printerColumns: RUN_COLUMNS },
  { group: 'tekton.dev', version: 'v1', plural: 'taskruns', kind: 'TaskRun', namespaced: true, shortNames: ['tr', 'trs'], hasStatus: true, categories: ['tekton', 'tekton-pipelines'], printerColumns: RUN_COLUMNS },
];

/** Tekton kinds are custom resources upstream: they merge with JSON merge patch, not strategic. */
const CUSTOM_GROUPS = new Set(['tekton.dev']);

export function builtinResourceTypes(): ResourceType[] {
  return SPECS.map((s) => ({
    group: s.group,
    versions: [s.version],
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    kind: s.kind,
    listKind: `${s.kind}List`,
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    hasStatus: s.hasStatus ?? false,
    schemas: {},
    printerColumns: s.printerColumns ? { [s.version]: s.printerColumns } : {},
    custom: CUSTOM_GROUPS.has(s.group),
  }));
}
