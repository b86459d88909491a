/**
 * The few core/v1 shapes that Tekton steps embed. Hand-written (not imported from cdk8s-plus'
 * internal `k8s` module) so the Tekton layer has no dependency on a generated 10k-line file.
 */

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string };
  readonly secret?: { readonly secretName: string; readonly optional?: boolean };
  readonly configMap?: { readonly name: string; readonly optional?: boolean };
}

export type Capability = string;

export interface SecurityContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly add?: readonly Capability[]; readonly drop?: readonly Capability[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}

export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

export interface PersistentVolumeClaimTemplate {
  readonly metadata?: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly accessModes: readonly string[];
    readonly resources: { readonly requests: Readonly<Record<string, string>> };
    readonly storageClassName?: string;
  };
}

export interface PodTemplate {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly securityContext?: {
    readonly runAsUser?: number;
    readonly runAsGroup?: number;
    readonly fsGroup?: number;
    readonly runAsNonRoot?: boolean;
    readonly seccompProfile?: SecurityContext['seccompProfile'];
  };
  readonly imagePullSecrets?: readonly { readonly name: string }[];
  readonly automountServiceAccountToken?: boolean;
  /** false: the pods run in a user namespace (Kubernetes >= 1.33). */
  readonly hostUsers?: boolean;
}
