import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IN_CLUSTER_REGISTRY_NAMES, REGISTRY_PORT, REGISTRY_SELECTOR } from './in-cluster-names';
import type { ResourceRequirements } from './quantities';
import { registryPodTemplate } from './registry-pod';

export interface InClusterRegistryObjectsProps {
  readonly namespace: string;
  readonly image: string;
  /** A Kubernetes quantity, e.g. `20Gi`. */
  readonly storage: string;
  readonly storageClassName?: string;
  /** @default - no NodePort Service */
  readonly nodePort?: number;
  readonly resources: ResourceRequirements;
  readonly allowDeletes: boolean;
}

const COMPONENT_LABELS = { 'app.kubernetes.io/component': 'registry' };

/**
 * The objects of the in-cluster registry: PersistentVolumeClaim, Deployment, a ClusterIP Service and,
 * with `nodePort`, a NodePort Service. Its credentials are made by RegistryCredentials.
 */
export class InClusterRegistryObjects extends Construct {
  constructor(scope: Construct, id: string, props: InClusterRegistryObjectsProps) {
    super(scope, id);
    const names = IN_CLUSTER_REGISTRY_NAMES;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...COMPONENT_LABELS } });
    new ApiObject(this, 'storage', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata(names.persistentVolumeClaim),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: props.storage } },
        ...(props.storageClassName ? { storageClassName: props.storageClassName } : {}),
      },
    });
    new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(names.deployment),
      spec: {
        replicas: 1,
        // The volume is ReadWriteOnce: the old pod must let go of it before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...REGISTRY_SELECTOR } },
        template: registryPodTemplate({
          image: props.image, claimName: names.persistentVolumeClaim, resources: props.resources, authSecret: names.authSecret, allowDeletes: props.allowDeletes,
        }),
      },
    });
    const port = { name: 'http', port: REGISTRY_PORT, targetPort: 'http', protocol: 'TCP' };
    new ApiObject(this, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(names.service),
      spec: { type: 'ClusterIP', selector: { ...REGISTRY_SELECTOR }, ports: [port] },
    });
    if (props.nodePort === undefined) return;
    new ApiObject(this, 'node-port-service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(names.nodePortService),
      spec: { type: 'NodePort', selector: { ...REGISTRY_SELECTOR }, ports: [{ ...port, nodePort: props.nodePort }] },
    });
  }
}
