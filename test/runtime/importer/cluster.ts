/** The real cluster (test/support/kube.ts) with a namespace of the test's own, for the importer's tests. */
import type { ImageStreamSpec } from '../../../lib/api/imagestream';
import type { KubeClient, ResourceClient } from '../../../lib/runtime/kube/client';
import { imageStreams, type StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { GROUP_VERSION, IMAGESTREAM_KIND } from '../../../lib/api/group';
import { testKube } from '../../support/kube';

export interface TestCluster {
  readonly namespace: string;
  /** The admin's kubeconfig, context namespace the test's. */
  readonly kubeconfigPath: string;
  readonly kube: KubeClient;
  readonly streams: ResourceClient<StreamObject>;
  createStream(name: string, spec: ImageStreamSpec): Promise<StreamObject>;
  createPullSecret(name: string, registryHost: string, username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(prefix = 'importer'): Promise<TestCluster> {
  const t = await testKube(prefix);
  const streams = imageStreams(t.kube, t.namespace);
  return {
    namespace: t.namespace,
    kubeconfigPath: t.kubeconfigPath,
    kube: t.kube,
    streams,
    createStream: (name, spec) => streams.create({ apiVersion: GROUP_VERSION, kind: IMAGESTREAM_KIND, metadata: { name }, spec } as StreamObject),
    createPullSecret: (name, registryHost, username, password) => t.createPullSecret(name, registryHost, username, password),
    close: async () => t.close(),
  };
}

/** A DockerImage tag on the local (plain http) registry. */
export function localTag(name: string, image: string, policy: Record<string, unknown> = {}) {
  return { name, from: { kind: 'DockerImage' as const, name: image }, importPolicy: { insecure: true, ...policy } };
}

/** `sha256:` and n as 64 hex digits: distinct, valid digests for tests that need no registry. */
export const testDigest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/**
 * Replaces a tag's history with one item per digest (newest first, repository `repo`), as imports
 * would have recorded it; other tags' status is kept.
 */
export async function setHistory(streams: ResourceClient<StreamObject>, name: string, tag: string, digests: readonly string[], repo = 'registry.example.com/team/app'): Promise<StreamObject> {
  const fresh = await streams.get(name);
  const items = digests.map((image, i) => ({ dockerImageReference: `${repo}@${image}`, image, created: new Date(Date.UTC(2026, 0, 1, 0, digests.length - i)).toISOString() }));
  const others = (fresh.status?.tags ?? []).filter((t) => t.tag !== tag);
  return streams.updateStatus({ ...fresh, status: { ...fresh.status, tags: [...others, { tag, items }] } } as StreamObject);
}
