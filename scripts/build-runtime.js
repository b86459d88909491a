#!/usr/bin/env node
// Bundles lib/runtime into build/runtime/imagestreams-runtime.js for the published package.
'use strict';
const { mkdirSync, writeFileSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const esbuild = require('esbuild');
const { runtimeBuildOptions, PREBUILT_RUNTIME } = require('../build/constructs/system/runtime-bundle.js');

const root = join(__dirname, '..');
const out = join(root, PREBUILT_RUNTIME);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, esbuild.buildSync(runtimeBuildOptions(root)).outputFiles[0].text);
console.error(`${PREBUILT_RUNTIME}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);
