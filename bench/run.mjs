// npm run bench [-- NAME...]: runs the named benchmarks (default: all) and prints their tables.
import { benchBuild } from './build.mjs';
import { benchController } from './controller.mjs';
import { benchImport } from './import.mjs';
import { benchMirror } from './mirror.mjs';
import { benchPush } from './push.mjs';
import { benchRuntime } from './runtime.mjs';
import { benchSynth } from './synth.mjs';
import { benchTagPolicy } from './tag-policy.mjs';

const BENCHES = { synth: benchSynth, runtime: benchRuntime, import: benchImport, controller: benchController, push: benchPush, 'tag-policy': benchTagPolicy, build: benchBuild, mirror: benchMirror };
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
for (const name of names) {
  if (!BENCHES[name]) throw new Error(`unknown bench '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
  await BENCHES[name]();
}
