// bench/controller: ImageStreams and as many triggered Deployments on a real control plane started by
// the bench (etcd, kube-apiserver, kube-controller-manager; Tekton's CRDs and admission), and the
// controller as a separate process: the runtime script as the System construct ships it, with the
// flags of the synthesized Deployment (its defaults), pointed at the cluster by
// IMAGESTREAMS_KUBECONFIG (the admin's token). Reports the initial sync, the first full rollout, the
// latency from a stream status change to the Deployment's image patched (sequential samples), the
// latency from a base's status change to the PipelineRun its BuildConfig starts, and the
// controller's RSS. Scenarios: realistic objects (bench/controller-objects.mjs) at 5,000 and 20,000,
// and the old tiny objects at 5,000 for comparison with earlier figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, fmt, loadDriver } from './lib.mjs';
import { NAMESPACE, deployment, reference, streamSpec, streamStatus } from './controller-objects.mjs';

/** `5000r` = 5,000 realistic streams and Deployments, `5000t` = tiny ones. */
const SCENARIOS = (process.env.BENCH_CONTROLLER_SCENARIOS ?? '5000r,20000r,5000t').split(',').map((s) => ({ count: Number(s.slice(0, -1)), realistic: s.endsWith('r') }));
const SAMPLES = Number(process.env.BENCH_CONTROLLER_SAMPLES ?? 200);
const BUILD_CONFIGS = Number(process.env.BENCH_CONTROLLER_BUILDCONFIGS ?? 50);
const CREATE_CONCURRENCY = 16;
/** The goals of issue #18, by count. */
const RSS_GOAL_MB = { 5000: 150, 20000: 400 };

/** The runtime script as the System construct ships it (runtimeBuildOptions: one minified file). */
function buildRuntime(dir) {
  const require = createRequire(import.meta.url);
  const { runtimeBuildOptions } = require(join(REPO, 'build', 'constructs', 'system', 'runtime-bundle.js'));
  const script = join(dir, 'imagestreams-runtime.js');
  writeFileSync(script, require('esbuild').buildSync(runtimeBuildOptions(REPO)).outputFiles[0].text);
  return script;
}

const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;

async function inParallel(count, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, async () => {
    while (next < count) await fn(next++);
  }));
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

function startController(script, kubeconfigPath, command) {
  const child = spawn(process.execPath, [...command.nodeFlags, script, 'controller', ...command.args, '--identity', 'bench'], {
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

/** Debounce 0 by the BuildConfig's own annotation: the controller keeps its default window for every other one. */
function buildConfig(i) {
  return {
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: `b${i}`, namespace: NAMESPACE, annotations: { 'imagestreams.dev/debounce-seconds': '0' } },
    spec: {
      pipelineRef: { name: 'p' }, source: { type: 'Git', git: { uri: 'https://git.bench/app.git' } },
      strategy: { dockerStrategy: { from: { kind: 'ImageStreamTag', name: `s${i}:latest` } } }, output: { to: { kind: 'ImageStreamTag', name: `s${i}:built` } },
      triggers: [{ type: 'ImageChange', imageChange: {} }], runPolicy: 'Parallel', serviceAccountName: 'builder', workspaces: [],
    },
  };
}

/** One BuildConfig per stream s0…: each sample moves a base and waits for the run FROM the new digest. */
async function sampleBuildLatency(kube, streams, realistic) {
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
    await streams.mergePatchStatus(`s${n}`, { status: streamStatus(n, seed, realistic) });
    latencies.push(Number((await started) - t0) / 1e6);
  }
  abort.abort();
  await watching.catch(() => {});
  return latencies;
}

const rssMb = (pid, field = 'VmRSS') => Number(/(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field)))[1]) / 1024;
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/** Average bytes of one object as the API server serves it (managedFields and status included). */
async function servedSize(resource) {
  const page = await resource.list({ limit: 50 });
  return page.items.reduce((sum, o) => sum + JSON.stringify(o).length, 0) / page.items.length;
}

/** One scenario on a control plane of its own; its figures. */
async function runScenario(driver, script, command, { count, realistic }) {
  const bench = await driver.startBenchCluster({ namespace: NAMESPACE, tekton: true });
  const { kube } = bench;
  const abort = new AbortController();
  let controller;
  try {
    const streams = kube.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: NAMESPACE });
    const deployments = kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: NAMESPACE });
    const setupStart = process.hrtime.bigint();
    await inParallel(count, async (i) => {
      await streams.create({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: `s${i}` }, spec: streamSpec(i, realistic) });
      await streams.mergePatchStatus(`s${i}`, { status: streamStatus(i, `${i}-0`, realistic) });
      await deployments.apply(deployment(i, realistic), { fieldManager: 'gitops' });
    });
    const setupMs = elapsed(setupStart);
    const sizes = { stream: await servedSize(streams), deployment: await servedSize(deployments) };

    const watcher = imageWatcher();
    const { resourceVersion } = await deployments.list({ limit: 1 }).then((l) => ({ resourceVersion: l.metadata.resourceVersion }));
    const watching = deployments.watch({ resourceVersion, signal: abort.signal, timeoutSeconds: 3600 }, (e) => watcher.onEvent(e));
    const rollouts = Array.from({ length: count }, (_, i) => watcher.waitFor(`d${i}`, reference(i, `${i}-0`)));

    const start = process.hrtime.bigint();
    controller = startController(script, bench.kubeconfigPath, command);
    const syncedMs = await controller.synced;
    const syncedWallMs = elapsed(start);
    const converged = await Promise.all(rollouts);
    const convergedMs = Math.max(...converged.map((t) => Number(t - start) / 1e6));
    const rssAfterSync = rssMb(controller.child.pid);

    const latencies = [];
    for (let n = 0; n < SAMPLES; n++) {
      const i = (n * 7919) % count;
      const seed = `${i}-${n + 1}`;
      const rolled = watcher.waitFor(`d${i}`, reference(i, seed));
      const t0 = process.hrtime.bigint();
      await streams.mergePatchStatus(`s${i}`, { status: streamStatus(i, seed, realistic) });
      latencies.push(Number((await rolled) - t0) / 1e6);
    }
    const buildLatencies = await sampleBuildLatency(kube, streams, realistic);
    abort.abort();
    await watching.catch(() => {});
    return {
      count, realistic, sizes, startMs: bench.startMs, tektonMs: bench.tektonMs, setupMs, syncedMs, syncedWallMs, convergedMs,
      latencies, buildLatencies, rss: { afterSync: rssAfterSync, afterSamples: rssMb(controller.child.pid), peak: rssMb(controller.child.pid, 'VmHWM') },
    };
  } finally {
    abort.abort();
    if (controller && controller.child.exitCode === null) {
      const exited = new Promise((resolve) => controller.child.once('exit', resolve));
      controller.child.kill('SIGTERM');
      await exited;
    }
    await bench.stop();
  }
}

const label = (r) => `${r.count.toLocaleString('en')} ${r.realistic ? 'realistic' : 'tiny'}`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The summary rows (`npm run bench`'s table): measure, value, goal, met. */
function summaryRows(results) {
  const rows = [];
  for (const r of results) {
    const goal = r.realistic ? RSS_GOAL_MB[r.count] : undefined;
    rows.push({ measure: `controller, ${label(r)}: RSS peak`, value: `${r.rss.peak.toFixed(0)} MB`, goal: goal ? `≤ ${goal} MB` : '', met: goal ? r.rss.peak <= goal : undefined });
    if (r.count === 5000) rows.push({ measure: `controller, ${label(r)}: initial sync`, value: fmt(r.syncedMs), goal: r.realistic ? '≤ 2 s' : '', met: r.realistic ? r.syncedMs <= 2000 : undefined });
    const p99 = percentile(r.latencies, 99);
    rows.push({ measure: `controller, ${label(r)}: trigger latency p99`, value: `${p99.toFixed(1)} ms`, goal: r.realistic ? '≤ 50 ms' : '', met: r.realistic ? p99 <= 50 : undefined });
  }
  return rows;
}

function printDetails(results, command) {
  console.log(`\n## controller: ImageStreams and as many triggered Deployments, on the real kube-apiserver\n`);
  console.log(`The controller runs as the System's Deployment runs it: \`node ${command.nodeFlags.join(' ')} imagestreams-runtime.js controller ${command.args.join(' ')}\` (the synthesized command but for \`--namespaces\` and \`--lease-namespace\`): ${command.describe}. The bench's BuildConfigs set their own debounce window to 0 (annotation \`imagestreams.dev/debounce-seconds\`), so the build latency measures the reaction, not the window.\n`);
  console.log(`| measure | ${results.map(label).join(' | ')} |`);
  console.log(`| --- | ${results.map(() => '---:').join(' | ')} |`);
  const row = (name, f) => console.log(`| ${name} | ${results.map(f).join(' | ')} |`);
  row('object size as served: stream / Deployment', (r) => `${kb(r.sizes.stream)} / ${kb(r.sizes.deployment)}`);
  row('set-up: control plane / Tekton / objects written', (r) => `${fmt(r.startMs)} / ${fmt(r.tektonMs)} / ${fmt(r.setupMs)}`);
  row('initial sync (caches listed, as the controller logs it)', (r) => fmt(r.syncedMs));
  row('initial sync, from spawn (incl. Node start and bundle load)', (r) => fmt(r.syncedWallMs));
  row('first rollout: every Deployment patched, from spawn', (r) => fmt(r.convergedMs));
  row(`trigger latency p50 / p99 / max (${SAMPLES} sequential status changes)`, (r) => `${percentile(r.latencies, 50).toFixed(1)} / ${percentile(r.latencies, 99).toFixed(1)} / ${Math.max(...r.latencies).toFixed(1)} ms`);
  row(`build trigger latency p50 / max (${BUILD_CONFIGS} BuildConfigs)`, (r) => `${percentile(r.buildLatencies, 50).toFixed(1)} / ${Math.max(...r.buildLatencies).toFixed(1)} ms`);
  row('controller RSS after sync / after samples / peak (VmHWM)', (r) => `${r.rss.afterSync.toFixed(0)} / ${r.rss.afterSamples.toFixed(0)} / ${r.rss.peak.toFixed(0)} MB`);
}

export async function benchController() {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-controller-'));
  try {
    const script = buildRuntime(dir);
    const driver = await loadDriver();
    const command = driver.shippedControllerCommand();
    const results = [];
    for (const scenario of SCENARIOS) results.push(await runScenario(driver, script, command, scenario));
    printDetails(results, command);
    return summaryRows(results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
