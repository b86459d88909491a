// bench/synth: how fast `imagestreams synth` and `imagestreams check` are, measured honestly.
//
// - Small app (a System, 10 ImageStreams, 5 BuildConfigs, 50 cdk8s-plus Deployments following stream
//   tags): whole processes started with npx in the app's folder, the way a user types them —
//   `npx imagestreams synth` (cold: an empty cache; warm), `npx cdk8s synth --check-upgrade false`
//   (cdk8s-cli's default app command, `npx ts-node main.ts`), `npx tsx main.ts`, and the floor:
//   `node` running the app bundled beforehand. One warm-up round, then BENCH_RUNS rounds; each round
//   runs every command once, in an order rotated round by round, so that the noise of a shared
//   machine falls on all of them alike. Medians, and the median (min–max) of the ratios within a round.
// - `npx imagestreams check` (TypeScript's build info kept in its cache) against `npx tsc --noEmit`
//   on the same project, interleaved the same way; a check with an empty cache as well.
// - Scale: the platform app (test/support/scale-app.ts) at 1,000 ImageStreams, 300 BuildConfigs and
//   1,000 Deployments in 10 namespaces, at 2x and at 4x: cold synth (esbuild included), interleaved;
//   wall time, CPU time and peak RSS of the process tree; the growth 1x → 2x → 4x; and a CPU profile
//   of the 1x run kept in tmp/bench/ with its heaviest functions printed.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO, fmt, median, run } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCALE_RUNS = Number(process.env.BENCH_SCALE_RUNS ?? Math.min(RUNS, 3));
const SMALL = { streams: 10, builds: 5, deployments: 50, namespaces: 1 };
const PROFILE_DIR = join(REPO, 'tmp', 'bench');

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'commonjs', lib: ['es2022'], strict: true, esModuleInterop: true, skipLibCheck: true, types: [] },
  include: ['main.ts'],
});

/**
 * An app folder outside the repository with the packages a user installs: each of the repository's
 * node_modules, and cdk8s-imagestreams itself as npm installs it (the files package.json publishes,
 * from `npm run build`: not the checkout, whose System would bundle the runtime from its sources on
 * every synth), with its `imagestreams` bin, so that npx finds every command in the folder.
 */
function userApp(files) {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name !== '.bin') symlinkSync(join(REPO, 'node_modules', name), join(modules, name));
  }
  for (const name of readdirSync(join(REPO, 'node_modules', '.bin'))) symlinkSync(join(REPO, 'node_modules', '.bin', name), join(modules, '.bin', name));
  const installed = join(modules, 'cdk8s-imagestreams');
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  for (const path of ['package.json', ...manifest.files]) cpSync(join(REPO, path), join(installed, path), { recursive: true });
  symlinkSync(join(installed, 'bin', 'imagestreams.js'), join(modules, '.bin', 'imagestreams'));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a whole command; wall ms, and (with GNU time) CPU ms and peak RSS (MiB) of its process tree. */
function measure(cmd, args, { cwd, env = {} }) {
  const start = process.hrtime.bigint();
  const [file, argv] = TIME ? [TIME, ['-f', '@@ %U %S %M', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  const usage = /@@ ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  return usage ? { wall, cpu: (Number(usage[1]) + Number(usage[2])) * 1000, peakMiB: Number(usage[3]) / 1024 } : { wall };
}

/**
 * One unmeasured round, then `rounds` rounds of every tool once, the order rotated each round.
 * Returns tool name → the measurements of its rounds (index = round).
 */
function interleaved(tools, rounds) {
  const names = Object.keys(tools);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -1; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
    for (const name of order) {
      const m = tools[name]();
      if (round >= 0) results[name][round] = m;
    }
  }
  return results;
}

const wallOf = (ms) => median(ms.map((m) => m.wall));
const cpuOf = (ms) => (ms.every((m) => m.cpu !== undefined) ? median(ms.map((m) => m.cpu)) : undefined);
const peakOf = (ms) => (ms.every((m) => m.peakMiB !== undefined) ? Math.max(...ms.map((m) => m.peakMiB)) : undefined);
/** The median and range of a/b within each round, by wall time (and by CPU time, where known). */
function pairRatios(as, bs) {
  const of = (key) => {
    const ratios = as.map((a, i) => a[key] / bs[i][key]);
    return ratios.some((r) => !Number.isFinite(r)) ? undefined : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
  };
  return { ...of('wall'), cpu: of('cpu') };
}
const range = (r) => `${r.median.toFixed(2)}x (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
const showRatio = (r) => `${range(r)}${r.cpu ? `; CPU ${range(r.cpu)}` : ''}`;
const showTime = (ms) => `${fmt(wallOf(ms))}${cpuOf(ms) === undefined ? '' : ` (CPU ${fmt(cpuOf(ms))})`}`;

async function scaleApp() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  return tsxRequire('../test/support/scale-app.ts', import.meta.url);
}

function benchSmall(source) {
  const dir = userApp({ 'main.ts': source, 'tsconfig.json': TSCONFIG, 'cdk8s.yaml': 'language: typescript\napp: npx ts-node main.ts\n' });
  const warmCache = mkdtempSync(join(tmpdir(), 'imagestreams-bench-warm-'));
  const checkCache = mkdtempSync(join(tmpdir(), 'imagestreams-bench-check-'));
  run('npx', ['imagestreams', 'synth', 'main.ts', '--out', 'out-warm'], { cwd: dir, env: { ...process.env, IMAGESTREAMS_CACHE_DIR: warmCache } });
  run(join(REPO, 'node_modules', '.bin', 'esbuild'), ['main.ts', '--bundle', '--packages=external', '--platform=node', '--format=cjs', '--outfile=main.bundle.js', '--log-level=warning'], { cwd: dir });
  const coldCache = () => {
    const cache = mkdtempSync(join(tmpdir(), 'imagestreams-bench-cold-'));
    return { cache, done: () => rmSync(cache, { recursive: true, force: true }) };
  };
  const synth = interleaved({
    cold: () => {
      const { cache, done } = coldCache();
      try { return measure('npx', ['imagestreams', 'synth', 'main.ts', '--out', 'out-cold'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: cache } }); } finally { done(); }
    },
    warm: () => measure('npx', ['imagestreams', 'synth', 'main.ts', '--out', 'out-warm'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: warmCache } }),
    cdk8s: () => measure('npx', ['cdk8s', 'synth', '--check-upgrade', 'false', '--output', 'out-cdk8s'], { cwd: dir }),
    tsx: () => measure('npx', ['tsx', 'main.ts'], { cwd: dir, env: { CDK8S_OUTDIR: 'out-tsx' } }),
    floor: () => measure('node', ['main.bundle.js'], { cwd: dir, env: { CDK8S_OUTDIR: 'out-floor' } }),
  }, RUNS);
  const check = interleaved({
    check: () => measure('npx', ['imagestreams', 'check', 'main.ts'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: checkCache } }),
    checkCold: () => {
      const { cache, done } = coldCache();
      try { return measure('npx', ['imagestreams', 'check', 'main.ts'], { cwd: dir, env: { IMAGESTREAMS_CACHE_DIR: cache } }); } finally { done(); }
    },
    tsc: () => measure('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: dir }),
  }, RUNS);
  for (const d of [dir, warmCache, checkCache]) rmSync(d, { recursive: true, force: true });
  return { synth, check };
}

function benchScale(source, factors) {
  const apps = Object.fromEntries(factors.map((f) => [f, userApp({ 'main.ts': source(f) })]));
  const tools = Object.fromEntries(factors.map((f) => [`${f}x`, () => measure('npx', ['imagestreams', 'synth', 'main.ts', '--out', 'out', '--no-cache'], { cwd: apps[f] })]));
  const results = interleaved(tools, SCALE_RUNS);
  // The profile: node itself, so that the profile is of synth and nothing else.
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  mkdirSync(PROFILE_DIR, { recursive: true });
  run('node', ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', 'synth-platform-1x.cpuprofile', join(REPO, 'bin', 'imagestreams.js'), 'synth', 'main.ts', '--out', 'out-prof', '--no-cache'], { cwd: apps[factors[0]] });
  for (const dir of Object.values(apps)) rmSync(dir, { recursive: true, force: true });
  return { results, profile: join(PROFILE_DIR, 'synth-platform-1x.cpuprofile') };
}

/** The functions with the most self time in a V8 CPU profile, as `function file:line`. */
function heaviest(profilePath, count) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const selfMs = new Map();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFunction = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(`${REPO}/`, '').replace(/^.*\/node_modules\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  return { total, top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, count) };
}

export async function benchSynth() {
  const { scaleAppSource, platformSize } = await scaleApp();
  const loadBefore = loadavg()[0];
  const small = benchSmall(scaleAppSource(SMALL));
  const factors = [1, 2, 4];
  const scale = benchScale((f) => scaleAppSource(platformSize(f)), factors);
  const loadAfter = loadavg()[0];

  const s = small.synth;
  const rows = [];
  const row = (figure, value, goal, met) => rows.push({ figure, value, goal, met });
  const verdict = (ok) => (ok ? 'met' : 'missed');
  row('`npx imagestreams synth`, cold cache', showTime(s.cold), '', '');
  row('`npx imagestreams synth`, warm cache', showTime(s.warm), '', '');
  row('`npx cdk8s synth --check-upgrade false` (ts-node)', showTime(s.cdk8s), '', '');
  row('`npx tsx main.ts`', showTime(s.tsx), '', '');
  row('floor: `node main.bundle.js`', showTime(s.floor), '', '');
  const vsCdk8s = pairRatios(s.cdk8s, s.cold);
  const vsTsx = pairRatios(s.tsx, s.cold);
  const warmVsFloor = pairRatios(s.warm, s.floor);
  row('cdk8s synth ÷ imagestreams cold', showRatio(vsCdk8s), '≥ 8x', verdict(vsCdk8s.median >= 8));
  row('tsx ÷ imagestreams cold', showRatio(vsTsx), '≥ 2.5x', verdict(vsTsx.median >= 2.5));
  row('imagestreams warm ÷ floor', showRatio(warmVsFloor), '≤ 1.3x', verdict(warmVsFloor.median <= 1.3));
  const c = small.check;
  row('`npx imagestreams check` (build info cached)', showTime(c.check), '', '');
  row('`npx imagestreams check`, empty cache', showTime(c.checkCold), '', '');
  row('`npx tsc --noEmit`', showTime(c.tsc), '', '');
  const checkVsTsc = pairRatios(c.check, c.tsc);
  const coldCheckVsTsc = pairRatios(c.checkCold, c.tsc);
  row('check ÷ tsc --noEmit', showRatio(checkVsTsc), '≤ 1.0x', verdict(checkVsTsc.median <= 1));
  row('check with an empty cache ÷ tsc --noEmit', showRatio(coldCheckVsTsc), '', '');
  const r = scale.results;
  for (const f of factors) {
    const peak = peakOf(r[`${f}x`]);
    const goal = f === 1 ? '≤ 3 s wall' : '';
    row(`platform ${f}x (${1000 * f} streams, ${300 * f} BuildConfigs, ${1000 * f} Deployments): cold synth, peak RSS`,
      `${showTime(r[`${f}x`])}${peak === undefined ? '' : `, ${peak.toFixed(0)} MiB`}`,
      goal, f === 1 ? verdict(wallOf(r['1x']) <= 3000) : '');
  }
  const growth2 = pairRatios(r['2x'], r['1x']);
  const growth4 = pairRatios(r['4x'], r['1x']);
  row('platform 2x ÷ 1x', showRatio(growth2), '≤ 2.2x', verdict(growth2.median <= 2.2));
  row('platform 4x ÷ 1x', showRatio(growth4), '≤ 4.5x', verdict(growth4.median <= 4.5));

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n## synth and check: ${RUNS} interleaved rounds after a warm-up (scale: ${SCALE_RUNS}); medians of wall time (and of the CPU time of the process tree); ratios are the median (min–max) of the ratios within a round; goals are judged on wall time`);
  console.log(`\nMachine: ${cpus().length} × ${cpu}, node ${process.version}, load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end (shared with other jobs). Small app: a System, ${SMALL.streams} ImageStreams, ${SMALL.builds} BuildConfigs and ${SMALL.deployments} cdk8s-plus Deployments following stream tags.\n`);
  console.log('| figure | value | goal | |');
  console.log('| --- | ---: | ---: | --- |');
  for (const x of rows) console.log(`| ${x.figure} | ${x.value} | ${x.goal} | ${x.met} |`);
  const { total, top } = heaviest(scale.profile, 10);
  console.log(`\nCPU profile of the 1x platform synth (${fmt(total)} sampled): ${scale.profile.replace(`${REPO}/`, '')} (open it in Chrome DevTools → Performance). Heaviest functions by self time:\n`);
  for (const [name, ms] of top) console.log(`- ${fmt(ms)} (${((100 * ms) / total).toFixed(1)}%) ${name}`);
  // npm run bench's summary table: measure, value, goal, met (a boolean, or undefined when there is no goal).
  return rows.map((x) => ({ measure: `synth: ${x.figure}`, value: x.value, goal: x.goal, met: x.met === '' ? undefined : x.met === 'met' }));
}

if (process.argv[1] && basename(process.argv[1]) === 'synth.mjs') await benchSynth();
