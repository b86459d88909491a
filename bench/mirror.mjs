// bench/mirror: mirroring on import (referencePolicy Local) against `skopeo copy`, in one run. 20
// images of random layers (3 layers each, ≈10 MB an image, ≈200 MB in all) are pushed to an
// "external" registry (the real CNCF distribution registry, plain http); each round copies all 20
// into a stream registry with htpasswd auth (a fresh registry each round, both tools into the same
// one), once with the importer's copy (one node process, 8 images at a time, as the importer) and
// once with skopeo (8 `skopeo copy` processes at a time), in alternating order. Wall time from spawn
// to exit; peak RSS from GNU time (%M): ours is one process, skopeo's the largest of its processes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, REPO } from './lib.mjs';

const IMAGES = Number(process.env.BENCH_MIRROR_IMAGES ?? 20);
const LAYERS = [5_000_000, 3_000_000, 2_000_000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 8;
const LOGIN = { username: 'bench', password: 'bench-password' };

/** Runs `cmd` under GNU time; resolves with wall ms and peak RSS in KiB. */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss=%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err}${out}`));
      resolve({ ms, rssKiB: Number(/maxrss=(\d+)/.exec(err)?.[1] ?? NaN), out });
    });
  });
}

async function bundleChild(dir) {
  const esbuild = await import('esbuild');
  const outfile = join(dir, 'mirror-child.cjs');
  await esbuild.build({ entryPoints: [join(REPO, 'bench', 'mirror-child.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'error' });
  return outfile;
}

async function ours(child, dir, external, internal, images, round) {
  const jobFile = join(dir, `job-${round}.json`);
  writeFileSync(jobFile, JSON.stringify({
    source: external.host, target: internal.host, credentials: LOGIN, concurrency: CONCURRENCY,
    images: images.map((image, i) => ({ repository: image.repository, digest: image.digest, into: `ours/img${i}` })),
  }));
  return timed(process.execPath, [child, jobFile]);
}

async function skopeo(external, internal, images) {
  const start = process.hrtime.bigint();
  const pending = images.map((image, i) => ({ image, i }));
  let rssKiB = 0;
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const { image, i } = next;
      const r = await timed('skopeo', [
        'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', `${LOGIN.username}:${LOGIN.password}`, '--preserve-digests',
        `docker://${external.host}/${image.repository}@${image.digest}`, `docker://${internal.host}/skopeo/img${i}:mirror`,
      ]);
      rssKiB = Math.max(rssKiB, r.rssKiB);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, rssKiB };
}

/** The digest a registry serves for repository@digest (htpasswd auth), or its status. */
async function served(registry, repository, digest) {
  const res = await fetch(`${registry.url}/v2/${repository}/manifests/${digest}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json', authorization: `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}` },
  });
  return res.headers.get('docker-content-digest') ?? String(res.status);
}

export async function benchMirror() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  const driver = tsxRequire('./mirror-driver.ts', import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'imagestreams-bench-mirror-'));
  const external = await driver.startRegistry();
  try {
    const child = await bundleChild(dir);
    const images = [];
    for (let i = 0; i < IMAGES; i++) {
      const repository = `library/app${i}`;
      const pushed = await driver.pushRandomImage(external.host, `${repository}:1`, { layers: LAYERS });
      images.push({ repository, digest: pushed.digest, size: pushed.size });
    }
    const total = images.reduce((n, i) => n + i.size, 0);
    const results = { ours: [], skopeo: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const internal = await driver.startRegistry({ auth: 'htpasswd', users: { [LOGIN.username]: LOGIN.password } });
      try {
        const order = round % 2 === 0 ? ['ours', 'skopeo'] : ['skopeo', 'ours'];
        for (const tool of order) {
          results[tool].push(tool === 'ours' ? await ours(child, dir, external, internal, images, round) : await skopeo(external, internal, images));
        }
        // Identical digests at both ends, every image, both tools.
        for (const [i, image] of images.entries()) {
          for (const repository of [`ours/img${i}`, `skopeo/img${i}`]) {
            const digest = await served(internal, repository, image.digest);
            if (digest !== image.digest) throw new Error(`${repository}@${image.digest}: the stream registry answered ${digest}`);
          }
        }
      } finally {
        await internal.close();
      }
    }
    const row = (name, xs) => {
      const ms = median(xs.map((x) => x.ms));
      const rss = median(xs.map((x) => x.rssKiB)) / 1024;
      return { name, ms, rss };
    };
    const a = row('importer copy (1 process, 8 images at a time)', results.ours);
    const b = row('skopeo copy (8 processes at a time)', results.skopeo);
    console.log(`\n## mirror: ${IMAGES} images, ${(total / 1e6).toFixed(0)} MB (${LAYERS.length} random layers each), ${ROUNDS} rounds interleaved, medians\n`);
    console.log('| tool | wall time | MB/s | peak RSS |');
    console.log('| --- | --- | --- | --- |');
    for (const r of [a, b]) console.log(`| ${r.name} | ${fmt(r.ms)} | ${(total / 1e6 / (r.ms / 1000)).toFixed(0)} | ${r.rss.toFixed(0)} MB${r === b ? ' (largest process)' : ''} |`);
    console.log(`\nimporter / skopeo time: ${(a.ms / b.ms).toFixed(2)}× (goal ≤ 1.2×); importer RSS ${a.rss.toFixed(0)} MB (goal ≤ 100 MB)`);
    console.log(`every round: all ${IMAGES} manifests served by the stream registry under their source digests, for both tools`);
    console.log(`rounds (ours / skopeo): ${results.ours.map((x, i) => `${fmt(x.ms)} / ${fmt(results.skopeo[i].ms)}`).join(', ')}`);
  } finally {
    await external.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
