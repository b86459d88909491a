// bench/runtime: the runtime script's size (budget 600 KiB, it ships in a ConfigMap) and the time from
// process start to its first Kubernetes API request (target <= 200 ms), against a loopback server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, fmt, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const require = createRequire(import.meta.url);

/** Resolves with the ms from spawning the runtime to the first request the server sees. */
function timeToFirstRequest(script, kubeconfig, server) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    server.once('request', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
    const child = spawn('node', [script, 'import', '--namespace', 'bench', '--stream', 'jdk8'], {
      env: { ...process.env, IMAGESTREAMS_KUBECONFIG: kubeconfig }, stdio: 'ignore',
    });
    child.on('error', reject);
  });
}

export async function benchRuntime() {
  const { runtimeBuildOptions } = require(join(REPO, 'build', 'constructs', 'system', 'runtime-bundle.js'));
  const esbuild = require('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-runtime-'));
  const script = join(dir, 'imagestreams-runtime.js');
  writeFileSync(script, esbuild.buildSync(runtimeBuildOptions(REPO)).outputFiles[0].text);
  const size = statSync(script).size;

  const server = createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'bench',
    clusters: [{ name: 'bench', cluster: { server: `http://127.0.0.1:${server.address().port}` } }],
    users: [{ name: 'bench', user: { token: 'x' } }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench', namespace: 'bench' } }],
  }));
  await timeToFirstRequest(script, kubeconfig, server); // warm the file-system cache
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeToFirstRequest(script, kubeconfig, server));
  const nodeAlone = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await new Promise((r) => spawn('node', ['-e', '0'], { stdio: 'ignore' }).on('exit', r));
    nodeAlone.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  server.close();
  rmSync(dir, { recursive: true, force: true });

  console.log(`\n## runtime: the script in the ConfigMap, median of ${RUNS} starts\n`);
  console.log('| measure | value | budget |');
  console.log('| --- | ---: | ---: |');
  console.log(`| bundle size (minified) | ${(size / 1024).toFixed(1)} KiB | 600 KiB |`);
  console.log(`| process start → first API request | ${fmt(median(times))} | 200 ms |`);
  console.log(`| for scale: \`node -e 0\` start and exit | ${fmt(median(nodeAlone))} | |`);
}
