import { ApiObject, type Cron, type Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { SYSTEM_LABELS } from '../../../lib/api/group';
import type { RuntimeVolume } from '../runtime-config-maps';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RUNTIME_MOUNT_PATH } from '../pod-security';
import { RUNTIME_FILE } from '../runtime-bundle';
import { IN_CLUSTER_REGISTRY_NAMES } from './in-cluster-names';

/** When and for how long the in-cluster registry garbage-collects (StreamRegistry.inCluster({ garbageCollection })). */
export interface RegistryGarbageCollectionOptions {
  /**
   * When the CronJob runs. The registry is read-only while its GC runs (pulls work, pushes fail
   * with 405, and builds finishing then fail their push): pick a quiet hour.
   * @default Cron.schedule({ minute: '30', hour: '3', weekDay: '0' }) - Sundays at 03:30 (the cluster's time zone)
   */
  readonly schedule?: Cron;
  /**
   * How long the GC may run; after it, the registry is switched back to read-write anyway and the
   * run counts as failed.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

export interface RegistryGarbageCollectionProps {
  readonly namespace: string;
  readonly image: string;
  readonly runtimeVolume: RuntimeVolume;
  readonly schedule: string;
  readonly timeoutSeconds: number;
  /** Percent full after which a Warning Event goes on the registry's PersistentVolumeClaim. */
  readonly warnAt: number;
}

const COMPONENT = 'registry-gc';
const LABELS = { ...SYSTEM_LABELS, 'app.kubernetes.io/component': COMPONENT };
const SELECTOR = { 'app.kubernetes.io/name': SYSTEM_LABELS['app.kubernetes.io/name'], 'app.kubernetes.io/component': COMPONENT };
/** Time for the switch back to serving after the GC's own timeout. */
const RESTORE_MARGIN_SECONDS = 600;

/**
 * An opt-in CronJob that runs distribution's `registry garbage-collect` the way it must run: with
 * nothing writing. The runtime's `registry-gc` command switches the registry's Deployment into
 * maintenance (lib/api/registry-maintenance.ts: the registry container read-only, a GC container
 * beside it in the same pod, on the same ReadWriteOnce volume), waits for the GC's verdict and
 * switches it back, then records an Event on the Deployment (with how full the volume is, from the
 * GC container's `df`) and, past `warnAt` percent, a Warning on the PersistentVolumeClaim. Its
 * ServiceAccount may read and update that one Deployment, read that one claim, list the namespace's
 * pods and write Events — nothing else, no wildcards.
 */
export class RegistryGarbageCollection extends Construct {
  constructor(scope: Construct, id: string, props: RegistryGarbageCollectionProps) {
    super(scope, id);
    const name = IN_CLUSTER_REGISTRY_NAMES.garbageCollection;
    const metadata = { name, namespace: props.namespace, labels: { ...LABELS } };
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata,
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: [IN_CLUSTER_REGISTRY_NAMES.deployment], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], resourceNames: [IN_CLUSTER_REGISTRY_NAMES.persistentVolumeClaim], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'get', 'patch'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });
    new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata,
      spec: {
        schedule: props.schedule,
        // One GC at a time: a second would switch the registry back while the first still runs.
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: { ...SELECTOR } },
          spec: {
            // A failed GC is reported (an Event) and waits for the next schedule, never retried at once.
            backoffLimit: 0,
            activeDeadlineSeconds: props.timeoutSeconds + RESTORE_MARGIN_SECONDS,
            template: { metadata: { labels: { ...SELECTOR } }, spec: this.podSpec(props) },
          },
        },
      },
    });
  }

  private podSpec(props: RegistryGarbageCollectionProps): object {
    return {
      serviceAccountName: IN_CLUSTER_REGISTRY_NAMES.garbageCollection,
      automountServiceAccountToken: true,
      restartPolicy: 'Never',
      enableServiceLinks: false,
      securityContext: RESTRICTED_POD_SECURITY,
      containers: [{
        name: 'registry-gc',
        image: props.image,
        command: [
          'node', `${RUNTIME_MOUNT_PATH}/${RUNTIME_FILE}`, 'registry-gc',
          '--namespace', props.namespace, '--deployment', IN_CLUSTER_REGISTRY_NAMES.deployment,
          '--claim', IN_CLUSTER_REGISTRY_NAMES.persistentVolumeClaim, '--warn-at', String(props.warnAt),
          '--timeout', String(props.timeoutSeconds), '--run', '$(POD_NAME)',
        ],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        volumeMounts: [{ name: 'runtime', mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
      }],
      volumes: [props.runtimeVolume],
    };
  }
}
