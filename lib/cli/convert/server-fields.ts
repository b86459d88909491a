/**
 * Fields of `oc get -o yaml` output that the API server wrote, not the user: state (status, uid,
 * resourceVersion …), allocations (a Service's cluster IP, a Route's generated host) and defaults it
 * filled in. A conversion drops them and counts them; it reports everything else it can't carry.
 */

/** Paths (`[]` for any index) dropped whatever their value. */
const ALWAYS = [
  'status',
  'metadata.uid', 'metadata.resourceVersion', 'metadata.creationTimestamp', 'metadata.generation', 'metadata.managedFields',
  'metadata.selfLink', 'metadata.deletionTimestamp', 'metadata.deletionGracePeriodSeconds',
  // Template objects: set by `oc process`, and the pod template's null timestamp.
  'spec.template.metadata.creationTimestamp',
  'spec.jobTemplate.metadata.creationTimestamp',
  'spec.jobTemplate.spec.template.metadata.creationTimestamp',
];

/** Per kind: paths dropped when they hold the server's default (the value given), else converted. */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  '*': {
    'spec.template.spec.restartPolicy': 'Always',
    'spec.template.spec.dnsPolicy': 'ClusterFirst',
    'spec.template.spec.schedulerName': 'default-scheduler',
    'spec.template.spec.securityContext': {},
    'spec.template.spec.terminationGracePeriodSeconds': 30,
    'spec.template.spec.containers[].terminationMessagePath': '/dev/termination-log',
    'spec.template.spec.containers[].terminationMessagePolicy': 'File',
    'spec.template.spec.containers[].resources': {},
    'spec.template.spec.containers[].ports[].protocol': 'TCP',
    'spec.template.spec.initContainers[].terminationMessagePath': '/dev/termination-log',
    'spec.template.spec.initContainers[].terminationMessagePolicy': 'File',
    'spec.template.spec.initContainers[].resources': {},
    'spec.template.spec.containers[].readinessProbe.successThreshold': 1,
    'spec.template.spec.containers[].livenessProbe.successThreshold': 1,
    'spec.template.spec.containers[].startupProbe.successThreshold': 1,
    'spec.template.spec.containers[].readinessProbe.failureThreshold': 3,
    'spec.template.spec.containers[].livenessProbe.failureThreshold': 3,
    'spec.template.spec.containers[].startupProbe.failureThreshold': 3,
    'spec.template.spec.containers[].readinessProbe.periodSeconds': 10,
    'spec.template.spec.containers[].livenessProbe.periodSeconds': 10,
    'spec.template.spec.containers[].startupProbe.periodSeconds': 10,
    'spec.template.spec.containers[].readinessProbe.timeoutSeconds': 1,
    'spec.template.spec.containers[].livenessProbe.timeoutSeconds': 1,
    'spec.template.spec.containers[].startupProbe.timeoutSeconds': 1,
    'spec.template.spec.containers[].readinessProbe.httpGet.scheme': 'HTTP',
    'spec.template.spec.containers[].livenessProbe.httpGet.scheme': 'HTTP',
    'spec.template.spec.containers[].startupProbe.httpGet.scheme': 'HTTP',
    'spec.template.spec.volumes[].configMap.defaultMode': 420,
    'spec.template.spec.volumes[].secret.defaultMode': 420,
  },
  DeploymentConfig: {
    'spec.test': false,
    'spec.strategy.activeDeadlineSeconds': 21600,
    'spec.strategy.resources': {},
    'spec.strategy.rollingParams.intervalSeconds': 1,
    'spec.strategy.rollingParams.updatePeriodSeconds': 1,
    'spec.strategy.recreateParams.timeoutSeconds': 600,
    'spec.revisionHistoryLimit': 10,
  },
  Deployment: {
    'spec.revisionHistoryLimit': 10,
    'spec.progressDeadlineSeconds': 600,
    'spec.strategy.rollingUpdate.maxSurge': '25%',
    'spec.strategy.rollingUpdate.maxUnavailable': '25%',
  },
  Service: {
    'spec.sessionAffinity': 'None',
    'spec.ipFamilyPolicy': 'SingleStack',
    'spec.internalTrafficPolicy': 'Cluster',
    'spec.ports[].protocol': 'TCP',
  },
  Route: {
    'spec.wildcardPolicy': 'None',
    'spec.to.weight': 100,
  },
  ImageStream: {
    'spec.tags[].generation': undefined,
    'spec.tags[].referencePolicy.type': 'Source',
    'spec.lookupPolicy.local': false,
  },
  BuildConfig: {
    'spec.postCommit': {},
    'spec.resources': {},
    'spec.nodeSelector': null,
    'spec.runPolicy': 'Serial',
    'spec.successfulBuildsHistoryLimit': 5,
    'spec.failedBuildsHistoryLimit': 5,
  },
};

/** Service fields the server allocates, whatever their value. */
const ALLOCATED: Record<string, readonly string[]> = {
  Service: ['spec.clusterIPs', 'spec.ipFamilies'],
};

const ANY = Symbol('any value');

export function isServerSet(kind: string, path: string, value: unknown): boolean {
  const generic = path.replace(/\[\d+\]/g, '[]');
  if (ALWAYS.some((p) => generic === p || generic.startsWith(`${p}.`) || generic.startsWith(`${p}[`))) return true;
  if (kind === 'Service' && generic === 'spec.clusterIP' && value !== 'None') return true;
  if ((ALLOCATED[kind] ?? []).includes(generic)) return true;
  for (const table of [DEFAULTS['*'], DEFAULTS[kind] ?? {}]) {
    if (!(generic in table)) continue;
    const expected = table[generic] === undefined ? ANY : table[generic];
    if (expected === ANY || sameJson(expected, value)) return true;
  }
  return false;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
