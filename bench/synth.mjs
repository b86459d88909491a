// bench/synth: one generated app (50 cdk8s-plus-27 Deployments, each exposed by a Service) synthesized
// by imagestreams (cold and warm cache), cdk8s synth with ts-node (cdk8s-cli's default template), tsx,
// and the floor: node running the already-bundled app. Medians of several runs, in one process run.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, fmt, median, run, tempApp, timeCommand } from './lib.mjs';

const DEPLOYMENTS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function appSource() {
  const lines = [
    "import { App, Chart } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-27';",
    'const app = new App();',
    "const chart = new Chart(app, 'services');",
  ];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    lines.push(`new kplus.Deployment(chart, 'app${i}', { containers: [{ image: 'registry.example.com/app${i}:1.0.${i}', portNumber: 8080 }] }).exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });`);
  }
  lines.push('app.synth();');
  return `${lines.join('\n')}\n`;
}

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['es2020'], strict: true, esModuleInterop: true, skipLibCheck: true, types: [] },
});

export function benchSynth() {
  const dir = tempApp({ 'main.ts': appSource(), 'tsconfig.json': TSCONFIG, 'cdk8s.yaml': 'language: typescript\napp: npx ts-node main.ts\n' });
  const imagestreams = join(REPO, 'bin', 'imagestreams.js');
  const warmCache = mkdtempSync(join(tmpdir(), 'imagestreams-bench-cache-'));
  run('node', [imagestreams, 'synth', '--out', 'warm-out'], { cwd: dir, env: { ...process.env, IMAGESTREAMS_CACHE_DIR: warmCache } });
  run(BIN('esbuild'), ['main.ts', '--bundle', '--packages=external', '--platform=node', '--format=cjs', '--outfile=main.bundle.js', '--log-level=warning'], { cwd: dir });

  const tools = [
    ['imagestreams synth (cold cache)', () => {
      const cache = mkdtempSync(join(tmpdir(), 'imagestreams-bench-cold-'));
      const ms = timeCommand('node', [imagestreams, 'synth', '--out', 'out-cold'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: cache } });
      rmSync(cache, { recursive: true, force: true });
      return ms;
    }],
    ['imagestreams synth (warm cache)', () => timeCommand('node', [imagestreams, 'synth', '--out', 'out-warm'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: warmCache } })],
    ['cdk8s synth (ts-node)', () => timeCommand(BIN('cdk8s'), ['synth', '--output', 'out-cdk8s'], { cwd: dir })],
    ['tsx main.ts', () => timeCommand(BIN('tsx'), ['main.ts'], { cwd: dir, env: { CDK8S_OUTDIR: 'out-tsx' } })],
    ['floor: node main.bundle.js', () => timeCommand('node', ['main.bundle.js'], { cwd: dir, env: { CDK8S_OUTDIR: 'out-floor' } })],
  ];
  const medians = new Map();
  for (const [name, fn] of tools) {
    fn(); // one unmeasured run: file-system caches, npx resolution
    medians.set(name, median(Array.from({ length: RUNS }, fn)));
  }
  const check = median(Array.from({ length: Math.min(RUNS, 3) }, () => timeCommand('node', [imagestreams, 'check'], { cwd: dir })));

  const cold = medians.get('imagestreams synth (cold cache)');
  const warm = medians.get('imagestreams synth (warm cache)');
  const floor = medians.get('floor: node main.bundle.js');
  console.log(`\n## synth: ${DEPLOYMENTS} Deployments + ${DEPLOYMENTS} Services, median of ${RUNS} runs\n`);
  console.log('| tool | median | vs imagestreams cold |');
  console.log('| --- | ---: | ---: |');
  for (const [name, ms] of medians) console.log(`| ${name} | ${fmt(ms)} | ${(ms / cold).toFixed(2)}x |`);
  console.log(`\n- cdk8s synth (ts-node) / imagestreams cold: **${(medians.get('cdk8s synth (ts-node)') / cold).toFixed(1)}x** (target >= 8x)`);
  console.log(`- tsx / imagestreams cold: **${(medians.get('tsx main.ts') / cold).toFixed(2)}x** (target > 1x)`);
  console.log(`- imagestreams warm / floor: **${(warm / floor).toFixed(2)}x** (target <= 1.3x)`);
  console.log(`- imagestreams check: **${fmt(check)}** (target < 3 s)`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(warmCache, { recursive: true, force: true });
}
