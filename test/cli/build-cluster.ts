/** The stand-in API server with the BuildConfig and ImageStream CRDs and a BuildConfig, for the build verbs' tests. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildConfigCrd } from '../../lib/api/crds/buildconfig';
import { imageStreamCrd } from '../../lib/api/crds/imagestream';
import type { BuildConfigSpec } from '../../lib/api/buildconfig';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { createClient, type KubeClient, type ResourceClient } from '../../lib/runtime/kube/client';
import type { KubeObject } from '../../lib/runtime/kube/types';
import { startApiServer, type ApiServer } from '../support/apiserver';
import { writeKubeconfig } from '../support/apiserver/kubeconfig';
import { PIPELINERUNS } from '../../lib/api/group';

/** The seed's foo BuildConfig, as synthesized, with a param and a timeout. */
export const FOO_SPEC: BuildConfigSpec = {
  pipelineRef: { name: 'foo' },
  params: [{ name: 'DOCKERFILE', value: 'Dockerfile' }, { name: 'REVISION', value: 'ignored' }],
  source: { type: 'Git', git: { uri: 'https://github.com/example/foo.git', ref: 'main' } },
  strategy: { type: 'Docker', from: { kind: 'ImageStreamTag', name: 'jdk8:latest' } },
  output: { to: { kind: 'ImageStreamTag', name: 'foo:latest' } },
  triggers: [{ type: 'ImageChange', imageChange: {} }],
  runPolicy: 'Serial',
  timeout: '1h0m0s',
  serviceAccountName: 'imagestreams-builder',
  podTemplate: { automountServiceAccountToken: false },
  workspaces: [{ name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }],
};

export interface BuildCluster {
  readonly api: ApiServer;
  readonly kube: KubeClient;
  readonly runs: ResourceClient<PipelineRun>;
  readonly taskRuns: ResourceClient;
  /** The BuildConfig `foo` (FOO_SPEC) in `default`; returns its uid. */
  createBuildConfig(name: string, spec?: BuildConfigSpec): Promise<string>;
  close(): Promise<void>;
}

const CRDS = { apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' };

export async function startBuildCluster(options: { crds?: boolean } = {}): Promise<BuildCluster> {
  const api = await startApiServer();
  const kube = createClient({ server: api.url, namespace: 'default' });
  if (options.crds ?? true) {
    for (const crd of [buildConfigCrd(), imageStreamCrd()]) await kube.resource(CRDS).create(crd as unknown as KubeObject);
  }
  return {
    api,
    kube,
    runs: kube.resource<PipelineRun>({ ...PIPELINERUNS, namespace: 'default' }),
    taskRuns: kube.resource({ apiVersion: 'tekton.dev/v1', resource: 'taskruns', namespace: 'default' }),
    async createBuildConfig(name, spec = FOO_SPEC) {
      const bc = { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name }, spec };
      const created = await kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'buildconfigs', namespace: 'default' }).create(bc as unknown as KubeObject);
      return created.metadata.uid as string;
    },
    async close() {
      kube.close();
      await api.close();
    },
  };
}

export interface Proxy {
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Pod log text by `pod/container`, served at pods/POD/log?container=C (the stand-in serves no logs). */
  readonly logs?: Record<string, string>;
  /** Answer 404 for tekton.dev, as a cluster without Tekton does. */
  readonly withoutTekton?: boolean;
}

/** An HTTP proxy in front of the stand-in that adds (or takes away) what a real cluster has. */
export async function startProxy(target: string, options: ProxyOptions): Promise<Proxy> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const log = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log && options.logs) {
      const text = options.logs[`${log[1]}/${url.searchParams.get('container')}`];
      if (text === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such container');
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
    }
    if (options.withoutTekton && url.pathname.startsWith('/apis/tekton.dev/')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    const forward = http.request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kubeconfig = writeKubeconfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    kubeconfigPath: kubeconfig.path,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      kubeconfig.remove();
    },
  };
}
