import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { STREAM_LABEL } from '../../lib/api/labels';
import { boundedLabelValue, boundedName } from '../../lib/api/names';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RUNTIME_MOUNT_PATH } from '../system/pod-security';
import { RUNTIME_FILE } from '../system/runtime-bundle';
import type { System } from '../system/system';
import type { TagSpec } from '../../lib/api/imagestream';
import { shortestScheduledInterval } from '../../lib/api/import-schedule';
import { importSchedule } from './schedule';
import { API_GROUP } from '../../lib/api/group';

/** What the import CronJob needs from its stream. */
export interface ImportedStream {
  readonly streamName: string;
  readonly namespace: string;
  readonly tagSpecs: readonly TagSpec[];
  readonly pullSecretNames: readonly string[];
}

export interface ImportCronJobProps {
  readonly stream: ImportedStream;
  readonly system: System;
}

/** Kubernetes caps CronJob names at 52 characters (it appends a timestamp to its Jobs' names). */
const CRONJOB_NAME_MAX = 52;

/**
 * The scheduled importer of one stream: a CronJob that runs the runtime's `import --scheduled` in the
 * System's namespace, where the runtime is (once per cluster, not copied into every namespace), with
 * a ServiceAccount of its own there, bound by a Role in the stream's namespace to exactly that stream
 * and its named pull secrets. The ServiceAccount may do nothing in the System's namespace.
 */
export class ImportCronJob extends Construct {
  /** The CronJob's name, in the System's namespace. */
  readonly cronJobName: string;
  /** The ServiceAccount the CronJob runs as, in the System's namespace. */
  readonly serviceAccountName: string;
  /** The Role (and RoleBinding) in the stream's namespace. */
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ImportCronJobProps) {
    super(scope, id);
    const { stream, system } = props;
    const namespace = stream.namespace;
    const home = system.systemNamespace;
    // Objects in the System's namespace are named after the stream's namespace and name, each pair its own.
    const owner = `${namespace}-${stream.streamName}`;
    this.cronJobName = claimName(this, system, boundedName(owner, '-import', CRONJOB_NAME_MAX), stream);
    this.serviceAccountName = boundedName(owner, '-importer', 253);
    this.roleName = boundedName(stream.streamName, '-importer', 253);
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccountName, namespace: home },
    });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: this.roleName, namespace },
      rules: Lazy.any({ produce: () => importerRules(stream) }),
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: this.roleName, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: home }],
    });
    new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: this.cronJobName, namespace: home },
      spec: Lazy.any({ produce: () => this.cronJobSpec(stream, system) }),
    });
  }

  private cronJobSpec(stream: ImportedStream, system: System) {
    const runtime = system.runtimeVolume();
    return {
      schedule: importSchedule(shortestScheduledInterval(stream.tagSpecs), `${stream.namespace}/${stream.streamName}`),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: 600,
          ttlSecondsAfterFinished: 3600,
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'importer', [STREAM_LABEL]: boundedLabelValue(stream.streamName) } },
            spec: {
              serviceAccountName: this.serviceAccountName,
              restartPolicy: 'Never',
              securityContext: RESTRICTED_POD_SECURITY,
              containers: [{
                name: 'import',
                image: system.runtimeImage,
                command: ['node', `${RUNTIME_MOUNT_PATH}/${RUNTIME_FILE}`, 'import', '--namespace', stream.namespace, '--stream', stream.streamName, '--scheduled'],
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                volumeMounts: [{ name: 'runtime', mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
              }],
              volumes: [runtime],
            },
          },
        },
      },
    };
  }
}

/** Read that one stream, write its status (update, with the resourceVersion read), read its named pull secrets: nothing else. */
function importerRules(stream: ImportedStream) {
  const rules: object[] = [
    { apiGroups: [API_GROUP], resources: ['imagestreams'], resourceNames: [stream.streamName], verbs: ['get'] },
    { apiGroups: [API_GROUP], resources: ['imagestreams/status'], resourceNames: [stream.streamName], verbs: ['update'] },
  ];
  if (stream.pullSecretNames.length > 0) {
    rules.push({ apiGroups: [''], resources: ['secrets'], resourceNames: [...stream.pullSecretNames].sort(), verbs: ['get'] });
  }
  return rules;
}

const CLAIMED = new WeakMap<System, Map<string, string>>();

/** `name` for the importer of `stream`, refused when another stream's importer already has it in the System's namespace. */
function claimName(scope: Construct, system: System, name: string, stream: ImportedStream): string {
  const claims = CLAIMED.get(system) ?? new Map<string, string>();
  CLAIMED.set(system, claims);
  const key = `${stream.namespace}/${stream.streamName}`;
  const other = claims.get(name);
  if (other !== undefined && other !== key) {
    throw new Error(`[${scope.node.path}] ImageStream '${key}': its import CronJob would be '${system.systemNamespace}/${name}', already the importer of ImageStream '${other}': rename one of the streams (the CronJob is named <namespace>-<stream>-import)`);
  }
  claims.set(name, key);
  return name;
}

