import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RUNTIME_VOLUME } from './pod-security';
import { runtimeBundle, runtimeFiles } from './runtime-bundle';

/** A pod volume, as much of it as the runtime's needs. */
export interface RuntimeVolume {
  readonly name: string;
  readonly projected: { readonly sources: readonly { readonly configMap: { readonly name: string } }[] };
}

/**
 * The runtime script in ConfigMaps, one per part, mounted together as one folder. Pods can mount only
 * their own namespace's: every pod that runs the runtime runs in the System's namespace, so the
 * runtime is there once per cluster (see ImportCronJob).
 */
export class RuntimeConfigMaps extends Construct {
  private readonly emitted = new Set<string>();

  /** The content hash in the names rolls every pod that mounts them when the runtime changes. */
  readonly names = runtimeFiles().map((_, i) => `imagestreams-runtime-${runtimeBundle().sha256.slice(0, 10)}-${i}`);

  /** The volume of the runtime in `namespace` (mounted at RUNTIME_MOUNT_PATH), emitting its ConfigMaps there on first use. */
  volumeIn(namespace: string): RuntimeVolume {
    if (!this.emitted.has(namespace)) {
      this.emitted.add(namespace);
      const files = runtimeFiles();
      for (const [i, name] of this.names.entries()) {
        new ApiObject(this, `${namespace}-${i}`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace, labels: { 'app.kubernetes.io/component': 'runtime' } },
          data: files[i],
        });
      }
    }
    return { name: RUNTIME_VOLUME, projected: { sources: this.names.map((name) => ({ configMap: { name } })) } };
  }
}
