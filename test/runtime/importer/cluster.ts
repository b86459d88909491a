/** The stand-in API server with the real ImageStream CRD applied, and a kube client for it. */
import { imageStreamCrd } from '../../../lib/api/crds/imagestream';
import type { ImageStreamSpec } from '../../../lib/api/imagestream';
import { createClient, type KubeClient, type ResourceClient } from '../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { imageStreams, type StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { GROUP_VERSION } from '../../../lib/api/group';

export interface TestCluster {
  readonly api: ApiServer;
  readonly kube: KubeClient;
  readonly streams: ResourceClient<StreamObject>;
  createStream(name: string, spec: ImageStreamSpec): Promise<StreamObject>;
  createPullSecret(name: string, registryHost: string, username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(): Promise<TestCluster> {
  const api = await startApiServer();
  const kube = createClient({ server: api.url, namespace: 'default' });
  await kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' }).create(imageStreamCrd() as unknown as KubeObject);
  const streams = imageStreams(kube, 'default');
  return {
    api,
    kube,
    streams,
    createStream: (name, spec) =>
      streams.create({ apiVersion: GROUP_VERSION, kind: 'ImageStream', metadata: { name }, spec } as StreamObject),
    async createPullSecret(name, registryHost, username, password) {
      const auth = Buffer.from(`${username}:${password}`).toString('base64');
      const json = JSON.stringify({ auths: { [registryHost]: { auth } } });
      await kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: 'default' }).create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(json).toString('base64') },
      });
    },
    async close() {
      kube.close();
      await api.close();
    },
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
