#!/usr/bin/env node
// Synthesizes every examples/<name>/main.ts into dist/<name>/ (or, with --check, fails on drift).
'use strict';
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { runCli } = require('../build/lib/cli/main.js');

async function main() {
  const root = join(__dirname, '..');
  const extra = process.argv.slice(2);
  const names = readdirSync(join(root, 'examples')).filter((n) => existsSync(join(root, 'examples', n, 'main.ts'))).sort();
  let failed = 0;
  for (const name of names) {
    const code = await runCli(['synth', join('examples', name, 'main.ts'), '--out', join('dist', name), ...extra]);
    if (code !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; });
