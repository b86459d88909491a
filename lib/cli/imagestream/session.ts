import type { KubeClient } from '../../runtime/kube/client';
import { withCluster, type ClusterOptions } from '../cluster-session';
import type { CliIO } from '../io';

export type SessionOptions = ClusterOptions;

/** withCluster for the stream verbs, which need only the client and the namespace. */
export function withKube(io: CliIO, options: SessionOptions, action: (kube: KubeClient, namespace: string) => Promise<number>): Promise<number> {
  return withCluster(io, options, ({ kube, namespace }) => action(kube, namespace));
}
