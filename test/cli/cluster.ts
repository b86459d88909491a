/**
 * The CLI's cluster verbs on the run's real cluster (test/support/kube.ts): a namespace of the
 * test's own, streams and BuildConfigs synthesized by the constructs, tag histories written as
 * imports record them, and a proxy in front of the real server for what it can't do here (serve
 * pod logs: there is no kubelet) or shouldn't be made to do for one test (stop serving a group).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chart } from 'cdk8s';
import type { ResourceClient } from '../../lib/runtime/kube/client';
import { imageStreams, type StreamObject } from '../../lib/runtime/imagestreams/streams';
import { kubeconfigJson } from '../support/cluster/client';
import { testKube, type TestKube } from '../support/kube';
import { freePort } from '../support/registry/exec';
import { synthApp, type SynthesizedApp } from '../support/synth-app';

/** The kinds a CLI test creates from its synthesized app: what the verbs read (no CronJobs: the real CronJob controller would run them). */
const APPLIED = new Set(['ImageStream', 'BuildConfig', 'Pipeline', 'Task']);

export interface CliKube extends TestKube {
  /** Synthesizes an app whose chart is in the test's namespace (or `namespace`) and creates its streams, BuildConfigs, Pipelines and Tasks. */
  create(build: (chart: Chart) => void, namespace?: string): Promise<SynthesizedApp>;
  /** The ImageStreams of the namespace, as the CLI reads them. */
  imageStreams(namespace?: string): ResourceClient<StreamObject>;
}

export async function cliKube(prefix: string): Promise<CliKube> {
  const t = await testKube(prefix);
  return {
    ...t,
    async create(build, namespace = t.namespace) {
      const app = synthApp(({ chart }) => build(chart(namespace)));
      await t.apply(app.objects.filter((o) => APPLIED.has(o.kind) && o.metadata.namespace === namespace));
      return app;
    },
    imageStreams: (namespace = t.namespace) => imageStreams(t.kube, namespace),
  };
}

/** `sha256:` and n as 64 hex digits: distinct, valid digests for tests that need no registry. */
export const testDigest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/**
 * Replaces a tag's history with one item per digest (newest first, repository `repo`), as imports
 * would have recorded it, a minute apart ending 2026-01-01T00:0N:00Z; other tags' status is kept.
 */
export async function setHistory(streams: ResourceClient<StreamObject>, name: string, tag: string, digests: readonly string[], repo = 'registry.example.com/team/app'): Promise<StreamObject> {
  const fresh = await streams.get(name);
  const items = digests.map((image, i) => ({ dockerImageReference: `${repo}@${image}`, image, created: new Date(Date.UTC(2026, 0, 1, 0, digests.length - i)).toISOString() }));
  const others = (fresh.status?.tags ?? []).filter((t) => t.tag !== tag);
  return streams.updateStatus({ ...fresh, status: { ...fresh.status, tags: [...others, { tag, items }] } } as StreamObject);
}

/** When Tekton would write it: conditions always carry lastTransitionTime (its admission insists). */
export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export interface WrittenKubeconfig {
  readonly path: string;
  /** The server it names. */
  readonly server: string;
  remove(): void;
}

/** A kubeconfig (the admin's token, the test's namespace) for `server`. */
export function writeKubeconfig(t: TestKube, server: string): WrittenKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'cli-kubeconfig-'));
  const path = join(dir, 'kubeconfig.json');
  writeFileSync(path, kubeconfigJson(server, t.cluster.caPem, t.cluster.adminToken, t.namespace), { mode: 0o600 });
  return { path, server, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A kubeconfig whose server is a loopback port nothing listens on. */
export async function unreachableKubeconfig(t: TestKube): Promise<WrittenKubeconfig> {
  return writeKubeconfig(t, `https://127.0.0.1:${await freePort()}`);
}

export interface ProxyOptions {
  /** Pod log text by `pod/container`, served at pods/POD/log?container=C (without a kubelet the real server serves none). */
  readonly logs?: Record<string, string>;
  /** API groups the proxy makes unserved, as on a cluster without them: their paths go to a group no server has, and the real server answers. */
  readonly hideGroups?: readonly string[];
}

export interface Proxy {
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

/** A plain-http proxy on loopback in front of the real server (requests keep their bearer token), which adds pod logs or hides groups. */
export async function startProxy(t: TestKube, options: ProxyOptions): Promise<Proxy> {
  const upstream = new URL(t.cluster.url);
  const agent = new https.Agent({ ca: t.cluster.caPem, keepAlive: true });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const log = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log && options.logs) {
      const text = options.logs[`${log[1]}/${url.searchParams.get('container')}`];
      if (text !== undefined) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
    }
    let path = req.url ?? '/';
    for (const group of options.hideGroups ?? []) {
      if (url.pathname.startsWith(`/apis/${group}/`)) path = path.replace(`/apis/${group}/`, `/apis/hidden.${group}.invalid/`);
    }
    const headers = { ...req.headers, host: upstream.host };
    const forward = https.request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kubeconfig = writeKubeconfig(t, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    kubeconfigPath: kubeconfig.path,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      kubeconfig.remove();
    },
  };
}
