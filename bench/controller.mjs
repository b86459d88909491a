// bench/controller: ImageStreams and as many triggered Deployments on a real control plane started by
// the bench (etcd, kube-apiserver, kube-controller-manager; Tekton's CRDs and admission), and the
// controller as a separate process: the runtime script as the System construct ships it, pointed at
// the cluster by IMAGESTREAMS_KUBECONFIG (the admin's token). Reports the initial sync, the first full
// rollout, the latency from a stream status change to the Deployment's image patched (sequential
// samples), the latency from a base's status change to the PipelineRun its BuildConfig starts, and the
// controller's RSS.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, fmt, loadDriver } from './lib.mjs';

const COUNT = Number(process.env.BENCH_CONTROLLER_COUNT ?? 5000);
const SAMPLES = Number(process.env.BENCH_CONTROLLER_SAMPLES ?? 200);
const BUILD_CONFIGS = Number(process.env.BENCH_CONTROLLER_BUILDCONFIGS ?? 50);
const CREATE_CONCURRENCY = 16;
const NAMESPACE = 'bench';
/** The controller's flags that differ from its defaults, and why. */
const SETTINGS = [
  ['--workers', '4', '2', 'reconciles in parallel'],
  ['--debounce-seconds', '0', '10', 'the build trigger latency measures the reaction, not the debounce window'],
];

/** The runtime script as the System construct ships it (runtimeBuildOptions: one minified file). */
function buildRuntime(dir) {
  const require = createRequire(import.meta.url);
  const { runtimeBuildOptions } = require(join(REPO, 'build', 'constructs', 'system', 'runtime-bundle.js'));
  const script = join(dir, 'imagestreams-runtime.js');
  writeFileSync(script, require('esbuild').buildSync(runtimeBuildOptions(REPO)).outputFiles[0].text);
  return script;
}

const digest = (seed) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
const reference = (i, seed) => `registry.bench/${NAMESPACE}/s${i}@${digest(seed)}`;
const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;

async function inParallel(count, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, async () => {
    while (next < count) await fn(next++);
  }));
}

function statusPatch(i, seed) {
  const image = digest(seed);
  return { status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: reference(i, seed), image, created: '2026-01-01T00:00:00Z' }] }] } };
}

/**
 * Paused and scaled to zero: kube-controller-manager's Deployment controller then keeps their status
 * but makes no ReplicaSets (there is no kubelet, and rollouts of pods are not what is measured).
 */
function deployment(i) {
  const annotations = { 'imagestreams.dev/triggers': JSON.stringify([{ from: { kind: 'ImageStreamTag', name: `s${i}:latest` }, fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image' }]) };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: NAMESPACE, annotations },
    spec: {
      replicas: 0, paused: true,
      selector: { matchLabels: { app: `d${i}` } }, template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [{ name: 'web', image: `s${i}:latest` }] } },
    },
  };
}

/** Resolves `waitFor(i, image)` promises from a watch on Deployments. */
function imageWatcher() {
  const waiting = new Map();
  return {
    waitFor: (name, image) => new Promise((resolve) => waiting.set(`${name} ${image}`, resolve)),
    onEvent(event) {
      const image = event.object.spec?.template?.spec?.containers?.[0]?.image;
      const key = `${event.object.metadata.name} ${image}`;
      waiting.get(key)?.(process.hrtime.bigint());
      waiting.delete(key);
    },
  };
}

function startController(script, kubeconfigPath) {
  const flags = SETTINGS.flatMap(([flag, value]) => [flag, value]);
  const child = spawn(process.execPath, [script, 'controller', ...flags, '--identity', 'bench'], {
    env: { ...process.env, IMAGESTREAMS_KUBECONFIG: kubeconfigPath }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const synced = new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr.on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.includes('"msg":"synced"')) resolve(JSON.parse(line).ms);
        if (line.includes('"level":"error"')) process.stderr.write(`controller: ${line}\n`);
      }
    });
    child.on('exit', (code) => reject(new Error(`controller exited with ${code}`)));
  });
  return { child, synced };
}

function buildConfig(i) {
  return {
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: `b${i}`, namespace: NAMESPACE },
    spec: {
      pipelineRef: { name: 'p' }, source: { type: 'Git', git: { uri: 'https://git.bench/app.git' } },
      strategy: { type: 'Docker', from: { kind: 'ImageStreamTag', name: `s${i}:latest` } }, output: { to: { kind: 'ImageStreamTag', name: `s${i}:built` } },
      triggers: [{ type: 'ImageChange', imageChange: {} }], runPolicy: 'Parallel', serviceAccountName: 'builder', workspaces: [],
    },
  };
}

/** One BuildConfig per stream s0…: each sample moves a base and waits for the run FROM the new digest. */
async function sampleBuildLatency(kube, streams) {
  const runs = kube.resource({ apiVersion: 'tekton.dev/v1', resource: 'pipelineruns', namespace: NAMESPACE });
  const waiting = new Map();
  const abort = new AbortController();
  const watching = runs.watch({ signal: abort.signal, timeoutSeconds: 3600 }, (e) => {
    // First runs by name (the trigger samples above moved some bases), later ones by their base.
    for (const key of [e.object.metadata.name, e.object.spec?.params?.find((p) => p.name === 'BASE_IMAGE')?.value]) {
      waiting.get(key)?.(process.hrtime.bigint());
      waiting.delete(key);
    }
  });
  const bcs = kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'buildconfigs', namespace: NAMESPACE });
  const firstRuns = Array.from({ length: BUILD_CONFIGS }, (_, i) => new Promise((resolve) => waiting.set(`b${i}-1`, resolve)));
  for (let i = 0; i < BUILD_CONFIGS; i++) await bcs.create(buildConfig(i));
  await Promise.all(firstRuns);
  const latencies = [];
  for (let n = 0; n < BUILD_CONFIGS; n++) {
    const seed = `${n}-build`;
    const started = new Promise((resolve) => waiting.set(reference(n, seed), resolve));
    const t0 = process.hrtime.bigint();
    await streams.mergePatchStatus(`s${n}`, statusPatch(n, seed));
    latencies.push(Number((await started) - t0) / 1e6);
  }
  abort.abort();
  await watching.catch(() => {});
  return latencies;
}

const rssMb = (pid, field = 'VmRSS') => Number(/(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field)))[1]) / 1024;
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

export async function benchController() {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-controller-'));
  const script = buildRuntime(dir);
  const driver = await loadDriver();
  const bench = await driver.startBenchCluster({ namespace: NAMESPACE, tekton: true });
  const { kube } = bench;
  const abort = new AbortController();
  let controller;
  try {
    const streams = kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: NAMESPACE });
    const deployments = kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NAMESPACE });
    const setupStart = process.hrtime.bigint();
    await inParallel(COUNT, async (i) => {
      await streams.create({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: `s${i}` }, spec: {} });
      await streams.mergePatchStatus(`s${i}`, statusPatch(i, `${i}-0`));
      await deployments.apply(deployment(i), { fieldManager: 'gitops' });
    });
    const setupMs = elapsed(setupStart);

    const watcher = imageWatcher();
    const { resourceVersion } = await deployments.list({ limit: 1 }).then((l) => ({ resourceVersion: l.metadata.resourceVersion }));
    const watching = deployments.watch({ resourceVersion, signal: abort.signal, timeoutSeconds: 3600 }, (e) => watcher.onEvent(e));
    const rollouts = Array.from({ length: COUNT }, (_, i) => watcher.waitFor(`d${i}`, reference(i, `${i}-0`)));

    const start = process.hrtime.bigint();
    controller = startController(script, bench.kubeconfigPath);
    const syncedMs = await controller.synced;
    const syncedWallMs = elapsed(start);
    const converged = await Promise.all(rollouts);
    const convergedMs = Math.max(...converged.map((t) => Number(t - start) / 1e6));
    const rssAfterSync = rssMb(controller.child.pid);

    const latencies = [];
    for (let n = 0; n < SAMPLES; n++) {
      const i = (n * 7919) % COUNT;
      const seed = `${i}-${n + 1}`;
      const rolled = watcher.waitFor(`d${i}`, reference(i, seed));
      const t0 = process.hrtime.bigint();
      await streams.mergePatchStatus(`s${i}`, statusPatch(i, seed));
      latencies.push(Number((await rolled) - t0) / 1e6);
    }
    const buildLatencies = await sampleBuildLatency(kube, streams);
    const rss = rssMb(controller.child.pid);
    const peak = rssMb(controller.child.pid, 'VmHWM');

    console.log(`\n## controller: ${COUNT} ImageStreams, ${COUNT} triggered Deployments, on the real kube-apiserver\n`);
    console.log(`Control plane up in ${fmt(bench.startMs)}, Tekton installed in ${fmt(bench.tektonMs)}; the ${COUNT} streams (create + status) and Deployments (server-side apply) written in ${fmt(setupMs)}, ${CREATE_CONCURRENCY} at a time.`);
    console.log(`Controller flags that differ from the defaults: ${SETTINGS.map(([flag, value, byDefault, why]) => `\`${flag} ${value}\` (default ${byDefault}: ${why})`).join('; ')}.\n`);
    console.log('| measure | value | target |');
    console.log('| --- | ---: | ---: |');
    console.log(`| initial sync (caches listed, as the controller logs it) | ${fmt(syncedMs)} | ≤ 2 s |`);
    console.log(`| initial sync, from spawn (incl. Node start and bundle load) | ${fmt(syncedWallMs)} | |`);
    console.log(`| first rollout: all ${COUNT} Deployments patched, from spawn | ${fmt(convergedMs)} | |`);
    console.log(`| trigger latency p50 (${SAMPLES} sequential status changes) | ${percentile(latencies, 50).toFixed(1)} ms | |`);
    console.log(`| trigger latency p99 | ${percentile(latencies, 99).toFixed(1)} ms | ≤ 50 ms |`);
    console.log(`| trigger latency max | ${Math.max(...latencies).toFixed(1)} ms | |`);
    console.log(`| build trigger latency p50 / max (base status change → PipelineRun created, ${BUILD_CONFIGS} BuildConfigs) | ${percentile(buildLatencies, 50).toFixed(1)} / ${Math.max(...buildLatencies).toFixed(1)} ms | |`);
    console.log(`| controller RSS after sync / after samples / peak (VmHWM) | ${rssAfterSync.toFixed(0)} / ${rss.toFixed(0)} / ${peak.toFixed(0)} MB | ≤ 200 MB |`);
    abort.abort();
    await watching.catch(() => {});
  } finally {
    abort.abort();
    if (controller && controller.child.exitCode === null) {
      const exited = new Promise((resolve) => controller.child.once('exit', resolve));
      controller.child.kill('SIGTERM');
      await exited;
    }
    await bench.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
