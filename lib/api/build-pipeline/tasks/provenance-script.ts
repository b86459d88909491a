/**
 * The provenance step of the buildah-build Task: a Node script (no dependencies) that pushes an
 * in-toto statement with a SLSA provenance v1 predicate for the image just pushed, into the image's
 * own repository, as an OCI referrer of it: an artifact manifest (artifactType
 * application/vnd.in-toto+json) whose `subject` is the image, listed in the OCI index tagged
 * `sha256-<hex of the image digest>` (the referrers tag scheme of OCI distribution 1.1, which every
 * registry serves, distribution 2.8 included). A rebuild giving the same digest adds its statement
 * to that index. It runs no code of the sources and holds only the push credentials.
 *
 * Arguments: the INSECURE_REGISTRIES hosts. Written without template literals (it is one).
 */
export const PROVENANCE_SCRIPT = String.raw`#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const tls = require('node:tls');
const { createHash } = require('node:crypto');

const env = process.env;
const fail = (message) => { process.stderr.write('provenance: ' + message + '\n'); process.exit(1); };
const insecure = new Set(process.argv.slice(2));
const read = (file) => fs.readFileSync(file, 'utf8').trim();
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const EMPTY = 'application/vnd.oci.empty.v1+json';
const IN_TOTO = 'application/vnd.in-toto+json';

if (env.PARAM_PROVENANCE === 'false') process.exit(0);
if (env.PARAM_PROVENANCE !== 'true') fail("param PROVENANCE must be 'true' or 'false', got '" + env.PARAM_PROVENANCE + "'");
const image = env.PARAM_IMAGE;
if (!image) process.exit(0); // no output: nothing pushed, nothing to attest
const slash = image.indexOf('/');
const host = image.slice(0, slash);
const repository = image.slice(slash + 1).replace(/@.*$/, '').replace(/:[^:/]*$/, '');
const digest = read(env.RESULT_IMAGE_DIGEST_PATH);
if (!/^sha256:[0-9a-f]{64}$/.test(digest)) fail('no image digest to attest (result IMAGE_DIGEST is ' + JSON.stringify(digest) + ')');

function credentials(registry) {
  if (env.WORKSPACE_DOCKERCONFIG_BOUND !== 'true') return undefined;
  const file = ['.dockerconfigjson', 'config.json'].map((f) => path.join(env.WORKSPACE_DOCKERCONFIG_PATH, f)).find((f) => fs.existsSync(f));
  if (!file) fail('workspace dockerconfig has no .dockerconfigjson nor config.json');
  let auths;
  try { auths = JSON.parse(fs.readFileSync(file, 'utf8')).auths || {}; } catch { fail('the push secret (workspace dockerconfig) is not JSON (its content is not shown)'); }
  for (const [key, entry] of Object.entries(auths)) {
    if (key.replace(/^https?:\/\//, '').replace(/\/.*$/, '') !== registry) continue;
    if (entry.auth) return entry.auth;
    if (entry.username) return Buffer.from(entry.username + ':' + (entry.password || '')).toString('base64');
  }
  return undefined;
}

function trusted(registry) {
  if (env.WORKSPACE_REGISTRY_CAS_BOUND !== 'true') return undefined;
  const file = path.join(env.WORKSPACE_REGISTRY_CAS_PATH, registry, 'ca.crt');
  return fs.existsSync(file) ? [...tls.rootCertificates, fs.readFileSync(file, 'utf8')] : undefined;
}

function once(method, target, headers, body) {
  const url = new URL(target);
  const transport = url.protocol === 'http:' ? http : https;
  const options = { method, headers: { ...headers, ...(body ? { 'content-length': body.length } : {}) }, ca: trusted(url.host), rejectUnauthorized: !insecure.has(url.host) };
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error('no answer in 60 s')));
    req.end(body);
  });
}

let origin = 'https://' + host;
let authorization;

async function authenticate(challenge) {
  const secret = credentials(host);
  if (/^basic/i.test(challenge || '')) {
    if (!secret) fail(host + ' asks for credentials and the build has no push Secret for it');
    authorization = 'Basic ' + secret;
    return;
  }
  if (!/^bearer/i.test(challenge || '')) fail(host + ' refused the request (401) without a challenge this step knows: ' + challenge);
  const params = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', 'repository:' + repository + ':pull,push');
  const res = await once('GET', url.href, secret ? { authorization: 'Basic ' + secret } : {});
  if (res.status !== 200) fail('the token server ' + url.origin + ' answered ' + res.status + ' for push access to ' + repository);
  const token = JSON.parse(res.body.toString('utf8'));
  authorization = 'Bearer ' + (token.token || token.access_token);
}

async function request(method, target, headers, body) {
  const url = target.startsWith('/') ? origin + target : target;
  const send = () => once(method, url, { ...headers, ...(authorization ? { authorization } : {}) }, body);
  let res = await send();
  if (res.status === 401) {
    await authenticate(res.headers['www-authenticate']);
    res = await send();
  }
  return res;
}

async function expect(res, statuses, what) {
  if (!statuses.includes(res.status)) fail(what + ': ' + host + ' answered ' + res.status + ' ' + res.body.toString('utf8').slice(0, 300));
  return res;
}

async function pushBlob(bytes) {
  const blob = 'sha256:' + sha256(bytes);
  if ((await request('HEAD', '/v2/' + repository + '/blobs/' + blob, {})).status === 200) return blob;
  const started = await expect(await request('POST', '/v2/' + repository + '/blobs/uploads/', {}), [202], 'starting a blob upload');
  const upload = new URL(started.headers.location, origin);
  upload.searchParams.set('digest', blob);
  await expect(await request('PUT', upload.href, { 'content-type': 'application/octet-stream' }, bytes), [201], 'uploading a blob');
  return blob;
}

async function main() {
  // An insecure registry is tried over https without verification, then over http (as buildah does).
  let probe;
  try {
    probe = await once('GET', origin + '/v2/', {});
  } catch (error) {
    if (!insecure.has(host)) throw error;
    origin = 'http://' + host;
    probe = await once('GET', origin + '/v2/', {});
  }
  if (probe.status === 401) await authenticate(probe.headers['www-authenticate']);

  const subject = await expect(await request('GET', '/v2/' + repository + '/manifests/' + digest, {
    accept: [MANIFEST, INDEX, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', '),
  }), [200], 'reading the image manifest ' + digest);
  const subjectType = String(subject.headers['content-type']).split(';')[0];

  const base = read(env.RESULT_BASE_IMAGE_PATH);
  const sourceUrl = env.PARAM_SOURCE_URL;
  const commit = env.PARAM_SOURCE_COMMIT;
  const startedFile = '/var/lib/containers/imagestreams/started';
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: host + '/' + repository, digest: { sha256: digest.slice(7) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://imagestreams.dev/buildconfig/v1',
        externalParameters: {
          ...(env.PARAM_BUILD_CONFIG ? { buildConfig: env.PARAM_BUILD_CONFIG } : {}),
          ...(sourceUrl ? { source: { url: sourceUrl, ...(commit ? { commit } : {}) } } : {}),
          image,
        },
        resolvedDependencies: [
          ...(sourceUrl && commit ? [{ uri: 'git+' + sourceUrl, digest: { gitCommit: commit } }] : []),
          ...(base ? [{ uri: 'oci://' + base.replace(/@.*$/, ''), digest: { sha256: base.replace(/^.*@sha256:/, '') } }] : []),
        ],
      },
      runDetails: {
        builder: { id: 'https://imagestreams.dev/builders/tekton-buildah/v1' },
        metadata: {
          invocationId: env.PARAM_RUN,
          ...(fs.existsSync(startedFile) ? { startedOn: read(startedFile) } : {}),
          finishedOn: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      },
    },
  };

  const statementBytes = Buffer.from(JSON.stringify(statement));
  const emptyBytes = Buffer.from('{}');
  const annotations = { 'org.opencontainers.image.created': statement.predicate.runDetails.metadata.finishedOn, 'dev.imagestreams.build': env.PARAM_RUN };
  const manifest = {
    schemaVersion: 2,
    mediaType: MANIFEST,
    artifactType: IN_TOTO,
    config: { mediaType: EMPTY, digest: await pushBlob(emptyBytes), size: emptyBytes.length, data: 'e30=' },
    layers: [{ mediaType: IN_TOTO, digest: await pushBlob(statementBytes), size: statementBytes.length }],
    subject: { mediaType: subjectType, digest, size: subject.body.length },
    annotations,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = 'sha256:' + sha256(manifestBytes);
  await expect(await request('PUT', '/v2/' + repository + '/manifests/' + manifestDigest, { 'content-type': MANIFEST }, manifestBytes), [201], 'pushing the provenance manifest');

  // The referrers tag: the index of every referrer of the image, this statement added.
  const tag = digest.replace(':', '-');
  const current = await request('GET', '/v2/' + repository + '/manifests/' + tag, { accept: INDEX });
  await expect(current, [200, 404], 'reading the referrers index ' + tag);
  const listed = current.status === 200 ? (JSON.parse(current.body.toString('utf8')).manifests || []) : [];
  const index = {
    schemaVersion: 2,
    mediaType: INDEX,
    manifests: [...listed.filter((d) => d.digest !== manifestDigest), { mediaType: MANIFEST, digest: manifestDigest, size: manifestBytes.length, artifactType: IN_TOTO, annotations }],
  };
  await expect(await request('PUT', '/v2/' + repository + '/manifests/' + tag, { 'content-type': INDEX }, Buffer.from(JSON.stringify(index))), [201], 'pushing the referrers index ' + tag);
  process.stderr.write('provenance: pushed the SLSA provenance of ' + host + '/' + repository + '@' + digest + ' as ' + manifestDigest + ' (referrers tag ' + tag + ')\n');
}

main().catch((error) => fail(error && error.message ? error.message : String(error)));
`;
