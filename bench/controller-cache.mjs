// bench/controller-cache: the controller's caches alone (bench/cache-driver.ts), filled with 5,000 and
// 20,000 realistic streams and as many triggered Deployments, as JSON pages the way the API server
// serves them, in a node process with the flags of the synthesized controller Deployment
// (NODE_OPTIONS) and the controller's heap growth. No API server: what the caches cost in memory, at
// sizes this machine's control plane can't be filled to during a bench. Interleaved runs, medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, fmt, loadDriver, median } from './lib.mjs';

const COUNTS = (process.env.BENCH_CACHE_COUNTS ?? '5000,20000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The goals of issue #18 for the whole controller, by count. */
const RSS_GOAL_MB = { 5000: 150, 20000: 400 };

export async function benchControllerCache() {
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-cache-'));
  try {
    const script = join(dir, 'cache-driver.js');
    createRequire(import.meta.url)('esbuild').buildSync({ entryPoints: [join(REPO, 'bench', 'cache-driver.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, outfile: script, logLevel: 'warning' });
    const { nodeFlags, describe } = (await loadDriver()).shippedControllerCommand();
    const runs = new Map(COUNTS.map((c) => [c, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const count of COUNTS) {
        const r = spawnSync(process.execPath, [...nodeFlags, script, String(count)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`cache-driver ${count} failed: ${r.stderr}`);
        runs.get(count).push(JSON.parse(r.stdout));
      }
    }
    console.log(`\n## controller caches alone: realistic streams and triggered Deployments, ${RUNS} interleaved runs, medians (node ${nodeFlags.join(' ')}; ${describe})\n`);
    console.log('| objects | served JSON | fill time | RSS before / after / peak | heap used |');
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    const rows = [];
    for (const [count, rs] of runs) {
      const m = (f) => median(rs.map(f));
      console.log(`| ${count.toLocaleString('en')} + ${count.toLocaleString('en')} | ${m((r) => r.servedMb).toFixed(0)} MB | ${fmt(m((r) => r.fillMs))} | ${m((r) => r.baselineRss).toFixed(0)} / ${m((r) => r.rss).toFixed(0)} / ${m((r) => r.peak).toFixed(0)} MB | ${m((r) => r.heapUsed).toFixed(0)} MB |`);
      const goal = RSS_GOAL_MB[count];
      rows.push({ measure: `controller caches alone (no API server), ${count.toLocaleString('en')} + ${count.toLocaleString('en')} realistic: peak RSS`, value: `${m((r) => r.peak).toFixed(0)} MB`, goal: goal ? `≤ ${goal} MB (whole controller)` : '', met: goal ? m((r) => r.peak) <= goal : undefined });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
