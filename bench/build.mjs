// bench/build: a BuildConfig's emitted Pipeline (git fetch, buildah build, push, with the layer cache and
// reproducible output), run by the tests' step runner with real git and buildah against the real
// registry, next to buildah run directly (bud + push of the same Dockerfile and context, same registry).
// Each round, interleaved: buildah direct (cold), our pipeline cold (an empty cache repository), our
// pipeline again on fresh storage (every layer from that cache), and our pipeline after a one-line
// change of the sources (the dependency RUN from the cache, the layers after the COPY rebuilt).
import * as os from 'node:os';
import { fmt, median } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export async function benchBuild() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  const driver = tsxRequire('./build-driver.ts', import.meta.url);
  const bench = await driver.startBuildBench();
  const host = bench.registry.host;
  const times = { direct: [], cold: [], coldSteps: [], cached: [], changed: [] };
  const stepTimes = { cold: {}, cached: {}, changed: {} };
  const keepSteps = (kind, run) => { for (const [step, ms] of Object.entries(run.steps)) (stepTimes[kind][step] ??= []).push(ms); };
  // The build Task's steps (build, push with the cache, provenance), without the clone and the step runner's own work.
  const buildSteps = (run) => Object.entries(run.steps).filter(([step]) => step.startsWith('build/')).reduce((sum, [, ms]) => sum + ms, 0);
  try {
    // A first build of each kind warms what every later one shares (the base's blobs in the registry).
    await bench.direct(`${host}/bench/direct:warm`);
    await bench.pipeline(`${host}/bench/warm/cache`, `${host}/bench/app:warm`);
    for (let round = 1; round <= ROUNDS; round++) {
      const cache = `${host}/bench/round${round}/cache`;
      times.direct.push((await bench.direct(`${host}/bench/direct:${round}`)).ms);
      const cold = await bench.pipeline(cache, `${host}/bench/app:cold${round}`);
      times.cold.push(cold.ms);
      times.coldSteps.push(buildSteps(cold));
      keepSteps('cold', cold);
      const cached = await bench.pipeline(cache, `${host}/bench/app:cached${round}`);
      if (cached.digest !== cold.digest) throw new Error(`round ${round}: the cached rebuild gave ${cached.digest}, the cold build ${cold.digest}`);
      if (!cached.log.includes('Cache pulled from remote')) throw new Error(`round ${round}: the rebuild took nothing from the cache`);
      times.cached.push(cached.ms);
      keepSteps('cached', cached);
      await bench.changeOneLine(round);
      const changed = await bench.pipeline(cache, `${host}/bench/app:changed${round}`);
      if (!/RUN mkdir \/deps[^\n]*\n--> Cache pulled/.test(changed.log)) throw new Error(`round ${round}: the dependency RUN did not come from the cache after a one-line change`);
      times.changed.push(changed.ms);
      keepSteps('changed', changed);
      console.error(`round ${round}: direct ${fmt(times.direct.at(-1))}, cold ${fmt(cold.ms)}, cached ${fmt(cached.ms)}, one-line change ${fmt(changed.ms)}`);
    }
  } finally {
    await bench.close();
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  console.log(`\n### Builds: a Dockerfile with a dependency RUN (1,500 files), COPY of 20 source files, a RUN over them (${ROUNDS} rounds, interleaved, medians)\n`);
  console.log('| run | median | min | max | against buildah direct |');
  console.log('| --- | --- | --- | --- | --- |');
  const row = (label, key) => {
    const xs = times[key];
    console.log(`| ${label} | ${fmt(m[key])} | ${fmt(Math.min(...xs))} | ${fmt(Math.max(...xs))} | ${(m[key] / m.direct).toFixed(2)}× |`);
  };
  row('buildah bud + push, directly, cold', 'direct');
  row('our pipeline (git fetch, build, cache push, push, provenance), cold', 'cold');
  row('  its build Task\'s steps (build, push, provenance), cold', 'coldSteps');
  row('our pipeline, same commit again (fresh storage, every layer from the cache)', 'cached');
  row('our pipeline, one line of the sources changed', 'changed');
  console.log('\nMedian step times (task/step):\n');
  console.log('| step | cold | cached | one-line change |');
  console.log('| --- | --- | --- | --- |');
  for (const step of Object.keys(stepTimes.cold)) {
    console.log(`| ${step} | ${['cold', 'cached', 'changed'].map((k) => (stepTimes[k][step] ? fmt(median(stepTimes[k][step])) : '-')).join(' | ')} |`);
  }
  console.log(`\ncold / direct: ${(m.cold / m.direct).toFixed(2)}× whole pipeline, ${(m.coldSteps / m.direct).toFixed(2)}× its build steps (target ≤ 1.3×); cold / cached: ${(m.cold / m.cached).toFixed(2)}× faster (target ≥ 3×)`);
  console.log(`(${os.cpus().length} CPUs, shared with other work while this ran: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  return [
    { measure: 'build: our pipeline cold / buildah bud + push directly (medians)', value: `${(m.cold / m.direct).toFixed(2)}×`, goal: '≤ 1.3×', met: m.cold / m.direct <= 1.3 },
    { measure: 'build: cold / cached rebuild of the same commit (medians)', value: `${(m.cold / m.cached).toFixed(2)}×`, goal: '≥ 3×', met: m.cold / m.cached >= 3 },
  ];
}
