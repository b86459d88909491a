#!/usr/bin/env node
// Synthesizes every examples/<name>/main.ts into dist/<name>/ (or, with --check, fails on drift).
// Each dist/<name>/ is synth's own: dist/<name>/00-definitions/ and 01-resources/, and the record of
// what it wrote. dist/ holds nothing else: the output of an example that is gone is removed (or, with
// --check, reported); anything that isn't synth's output is reported, never removed.
'use strict';
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { runCli } = require('../build/lib/cli/main.js');
const { OUTPUT_RECORD } = require('../build/lib/compiler/output-record.js');

async function main() {
  const root = join(__dirname, '..');
  const extra = process.argv.slice(2);
  const check = extra.includes('--check');
  const names = readdirSync(join(root, 'examples')).filter((n) => existsSync(join(root, 'examples', n, 'main.ts'))).sort();
  let failed = 0;
  for (const name of names) {
    const code = await runCli(['synth', join('examples', name, 'main.ts'), '--out', join('dist', name), ...extra]);
    if (code !== 0) failed++;
  }
  const orphans = existsSync(join(root, 'dist')) ? readdirSync(join(root, 'dist')).filter((n) => !names.includes(n)) : [];
  for (const orphan of orphans) {
    if (!existsSync(join(root, 'dist', orphan, OUTPUT_RECORD))) {
      console.error(`error: dist/${orphan} is not the output of an example (it has no ${OUTPUT_RECORD}): move it out of dist/`);
      failed++;
    } else if (check) {
      console.error(`error: dist/${orphan} has no example: run npm run synth to remove it`);
      failed++;
    } else {
      rmSync(join(root, 'dist', orphan), { recursive: true, force: true });
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; });
