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
 * stream's namespace, and a ServiceAccount whose Role allows exactly that stream and its pull secrets.
 */
export class ImportCronJob extends Construct {
  readonly cronJobName: string;
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: ImportCronJobProps) {
    super(scope, id);
    const { stream, system } = props;
    const namespace = stream.namespace;
    // Emitted now, not inside the Lazy below: by the time that runs, the System's chart may be written.
    system.runtimeVolume(namespace);
    this.cronJobName = boundedName(stream.streamName, '-import', CRONJOB_NAME_MAX);
    this.serviceAccountName = boundedName(stream.streamName, '-importer', 253);
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccountName, namespace },
    });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: this.serviceAccountName, namespace },
      rules: Lazy.any({ produce: () => importerRules(stream) }),
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: this.serviceAccountName, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.serviceAccountName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }],
    });
    new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: this.cronJobName, namespace },
      spec: Lazy.any({ produce: () => this.cronJobSpec(stream, system) }),
    });
  }

  private cronJobSpec(stream: ImportedStream, system: System) {
    const runtime = system.runtimeVolume(stream.namespace);
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
