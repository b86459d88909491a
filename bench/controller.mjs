// bench/controller: 5,000 ImageStreams and 5,000 triggered Deployments on the stand-in API server (in
// this process), and the controller as a separate process: the bundled runtime, pointed at the
// stand-in by IMAGESTREAMS_KUBECONFIG. Reports the initial sync, the first full rollout, the latency
// from a stream status change to the Deployment's image patched (sequential samples), the latency from a
// base's status change to the PipelineRun its BuildConfig starts, and the RSS.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO, fmt } from './lib.mjs';

const COUNT = Number(process.env.BENCH_CONTROLLER_COUNT ?? 5000);
const SAMPLES = Number(process.env.BENCH_CONTROLLER_SAMPLES ?? 200);
const BUILD_CONFIGS = Number(process.env.BENCH_CONTROLLER_BUILDCONFIGS ?? 50);
const WORKERS = 4;
const CREATE_CONCURRENCY = 16;

const DRIVER = `
export { startApiServer } from './test/support/apiserver';
export { imageStreamCrd } from './constructs/imagestream/crd';
export { buildConfigCrd } from './constructs/buildconfig/crd';
export { createClient } from './lib/runtime/kube/client';
`;

async function bundle(dir) {
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
  await build({ ...common, stdin: { contents: DRIVER, resolveDir: REPO, loader: 'ts', sourcefile: 'bench-controller-driver.ts' }, outfile: join(dir, 'driver.cjs') });
  // As the System construct ships it (runtimeBuildOptions): one minified file.
  await build({ ...common, entryPoints: [join(REPO, 'lib/runtime/main.ts')], minify: true, outfile: join(dir, 'imagestreams-runtime.js') });
  return createRequire(import.meta.url)(join(dir, 'driver.cjs'));
}

const digest = (seed) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
const reference = (i, seed) => `registry.bench/default/s${i}@${digest(seed)}`;
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

function deployment(i) {
  const annotations = { 'imagestreams.dev/triggers': JSON.stringify([{ from: { kind: 'ImageStreamTag', name: `s${i}:latest` }, fieldPath: 'spec.template.spec.containers[?(@.name=="web")].image' }]) };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'default', annotations },
    spec: { selector: { matchLabels: { app: `d${i}` } }, template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [{ name: 'web', image: `s${i}:latest` }] } } },
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

function startController(dir, kubeconfigPath) {
  const child = spawn(process.execPath, [join(dir, 'imagestreams-runtime.js'), 'controller', '--workers', String(WORKERS), '--identity', 'bench', '--lease-namespace', 'default', '--debounce-seconds', '0'], {
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
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: `b${i}`, namespace: 'default' },
    spec: {
      pipelineRef: { name: 'p' }, source: { type: 'Git', git: { uri: 'https://git.bench/app.git' } },
      strategy: { type: 'Docker', from: { kind: 'ImageStreamTag', name: `s${i}:latest` } }, output: { to: { kind: 'ImageStreamTag', name: `s${i}:built` } },
      triggers: [{ type: 'ImageChange', imageChange: {} }], runPolicy: 'Parallel', serviceAccountName: 'builder', workspaces: [],
    },
  };
}

/** One BuildConfig per stream s0…: each sample moves a base and waits for the run FROM the new digest. */
async function sampleBuildLatency(kube, streams) {
  const runs = kube.resource({ apiVersion: 'tekton.dev/v1', resource: 'pipelineruns', namespace: 'default' });
  const waiting = new Map();
  const abort = new AbortController();
  const watching = runs.watch({ signal: abort.signal, timeoutSeconds: 3600 }, (e) => {
    // First runs by name (the trigger samples above moved some bases), later ones by their base.
    for (const key of [e.object.metadata.name, e.object.spec?.params?.find((p) => p.name === 'BASE_IMAGE')?.value]) {
      waiting.get(key)?.(process.hrtime.bigint());
      waiting.delete(key);
    }
  });
  const bcs = kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'buildconfigs', namespace: 'default' });
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
  const driver = await bundle(dir);
  const api = await driver.startApiServer({ historyWindow: 50_000 });
  const kube = driver.createClient({ server: api.url, namespace: 'default' });
  const abort = new AbortController();
  let controller;
  try {
    const crds = kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' });
    await crds.create(driver.imageStreamCrd());
    await crds.create(driver.buildConfigCrd());
    const streams = kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: 'default' });
    const deployments = kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: 'default' });
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
    controller = startController(dir, api.kubeconfigPath);
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

    console.log(`\n## controller: ${COUNT} ImageStreams, ${COUNT} triggered Deployments (stand-in set up in ${fmt(setupMs)}), ${WORKERS} workers\n`);
    console.log('| measure | value | target |');
    console.log('| --- | ---: | ---: |');
    console.log(`| initial sync (caches listed, as the controller logs it) | ${fmt(syncedMs)} | ≤ 2 s |`);
    console.log(`| initial sync, from spawn (incl. Node start and bundle load) | ${fmt(syncedWallMs)} | |`);
    console.log(`| first rollout: all ${COUNT} Deployments patched, from spawn | ${fmt(convergedMs)} | |`);
    console.log(`| trigger latency p50 (${SAMPLES} sequential status changes) | ${latencies.length ? percentile(latencies, 50).toFixed(1) : '-'} ms | |`);
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
    kube.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
