/**
 * The controller's caches alone, for bench/controller-cache.mjs: `node cache-driver.js COUNT` fills
 * the stream and Deployment caches as the informers do — pages of 100 objects as the API server
 * serves them (JSON text, parsed, then slimmed by the same transforms) — with COUNT realistic streams
 * and COUNT realistic triggered Deployments, and prints its memory as JSON. No API server: it measures
 * what the caches hold and what filling them costs, at sizes the control plane of this machine can't
 * be filled to in the time of a bench.
 */
import { cachedStream } from '../lib/runtime/caches/cached-stream';
import { cachedWorkload } from '../lib/runtime/caches/cached-workload';
import { ObjectStore } from '../lib/runtime/machinery/object-store';
import { workloadKind } from '../lib/api/workload-kinds';
import type { KubeObject } from '../lib/runtime/kube/types';
import { setFlagsFromString } from 'node:v8';
import { HEAP_GROWING_PERCENT } from '../lib/runtime/controller/command';
// @ts-expect-error: a plain ES module of the bench
import { deployment, streamSpec, streamStatus } from './controller-objects.mjs';

const PAGE = 100;
const kind = workloadKind('Deployment')!;

/** The managedFields the API server keeps for an object applied by `gitops` (one key per field set). */
function fieldsOf(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [`k:{"name":"${(v as { name?: string }).name ?? i}"}`, fieldsOf(v)]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [`f:${k}`, fieldsOf(v)]));
  return {};
}

const entry = (manager: string, operation: string, fieldsV1: unknown, subresource?: string) => ({
  manager, operation, apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', ...(subresource ? { subresource } : {}), fieldsV1,
});

function servedStream(i: number): object {
  const spec = streamSpec(i, true);
  return {
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream',
    metadata: {
      name: `s${i}`, namespace: 'bench', uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, resourceVersion: String(100_000 + i), generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [entry('bench', 'Update', fieldsOf({ spec })), entry('bench', 'Update', { 'f:status': { '.': {}, 'f:tags': {} } }, 'status')],
    },
    spec, status: streamStatus(i, `${i}-0`, true),
  };
}

function servedDeployment(i: number): object {
  const d = deployment(i, true);
  const mine = { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } };
  return {
    ...d,
    metadata: {
      ...d.metadata, uid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, resourceVersion: String(200_000 + i), generation: 2, creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': '2' },
      managedFields: [entry('gitops', 'Apply', fieldsOf({ metadata: { labels: d.metadata.labels, annotations: d.metadata.annotations }, spec: d.spec })), entry('imagestreams-controller', 'Apply', mine), entry('kube-controller-manager', 'Update', { 'f:status': { 'f:conditions': {}, 'f:observedGeneration': {} } }, 'status')],
    },
    status: {
      observedGeneration: 2, replicas: 0,
      conditions: ['Progressing', 'Available'].map((type) => ({ type, status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "d${i}-5d9c7b6f4" has successfully progressed.`, lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' })),
    },
  };
}

const kb = (line: string) => Number(/(\d+) kB/.exec(line)?.[1] ?? 0);
async function memory(): Promise<{ rss: number; peak: number }> {
  const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8').split('\n');
  return { rss: kb(status.find((l) => l.startsWith('VmRSS'))!) / 1024, peak: kb(status.find((l) => l.startsWith('VmHWM'))!) / 1024 };
}

async function main(count: number): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`); // as the controller command does
  const before = await memory();
  const streams = new ObjectStore<KubeObject>();
  const workloads = new ObjectStore<KubeObject>();
  const started = process.hrtime.bigint();
  let servedBytes = 0;
  for (let at = 0; at < count; at += PAGE) {
    const n = Math.min(PAGE, count - at);
    const streamPage = JSON.stringify({ kind: 'ImageStreamList', items: Array.from({ length: n }, (_, k) => servedStream(at + k)) });
    const deploymentPage = JSON.stringify({ kind: 'DeploymentList', items: Array.from({ length: n }, (_, k) => servedDeployment(at + k)) });
    servedBytes += streamPage.length + deploymentPage.length;
    for (const s of JSON.parse(streamPage).items) streams.upsert(cachedStream(s));
    for (const d of JSON.parse(deploymentPage).items) workloads.upsert(cachedWorkload(kind)(d));
  }
  const fillMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = await memory();
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  process.stdout.write(`${JSON.stringify({ count, servedMb: servedBytes / 2 ** 20, fillMs, baselineRss: before.rss, rss: after.rss, peak: after.peak, heapUsed: heap, cached: streams.size + workloads.size })}\n`);
}

void main(Number(process.argv[2] ?? 5000));
