import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RUNTIME_FILE, runtimeBundle } from './runtime-bundle';

/** The runtime script in a ConfigMap per namespace that runs it (pods can only mount their own namespace's). */
export class RuntimeConfigMaps extends Construct {
  private readonly emitted = new Set<string>();

  /** The content hash in the name rolls every pod that mounts it when the runtime changes. */
  readonly name = `imagestreams-runtime-${runtimeBundle().sha256.slice(0, 10)}`;

  nameIn(namespace: string): string {
    if (!this.emitted.has(namespace)) {
      this.emitted.add(namespace);
      new ApiObject(this, namespace, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: this.name, namespace, labels: { 'app.kubernetes.io/component': 'runtime' } },
        data: { [RUNTIME_FILE]: runtimeBundle().code },
      });
    }
    return this.name;
  }
}
