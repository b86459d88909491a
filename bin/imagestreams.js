#!/usr/bin/env node
'use strict';
// The compiled CLI (npm run build). Kept tiny: start-up time is part of every synth.
const { runCli } = require('../build/lib/cli/main.js');

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(e); process.exitCode = 1; },
);
