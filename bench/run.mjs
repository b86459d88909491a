// npm run bench [-- NAME...]: runs the named benchmarks (default: all) and prints their tables.
import { benchBuild } from './build.mjs';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchController } from './controller.mjs';
import { benchControllerCache } from './controller-cache.mjs';
import { benchImport, benchImportScale } from './import.mjs';
import { benchMirror } from './mirror.mjs';
import { benchPush } from './push.mjs';
import { benchRuntime } from './runtime.mjs';
import { benchSynth } from './synth.mjs';
import { benchTagPolicy } from './tag-policy.mjs';

const BENCHES = { synth: benchSynth, runtime: benchRuntime, import: benchImport, 'import-scale': benchImportScale, controller: benchController, 'controller-cache': benchControllerCache, push: benchPush, 'tag-policy': benchTagPolicy, build: benchBuild, mirror: benchMirror };
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
const summary = [];
for (const name of names) {
  if (!BENCHES[name]) throw new Error(`unknown bench '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
  // A bench may return summary rows { measure, value, goal, met } for the one table at the end.
  const rows = await BENCHES[name]();
  if (Array.isArray(rows)) summary.push(...rows);
}
if (summary.length) {
  console.log(`\n## Summary (${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  console.log('| measure | value | goal | met |');
  console.log('| --- | ---: | ---: | :---: |');
  for (const r of summary) console.log(`| ${r.measure} | ${r.value} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`);
}
