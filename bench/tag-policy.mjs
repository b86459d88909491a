// bench/tag-policy: a tag policy over a repository of 5,000 tags on the real docker-registry with
// token auth (Bearer tokens from the test token server), its tags/list paged by the proxy as
// distribution 3 does (Debian's 2.8 sends one page): list every page, choose, and the whole import of
// the policy tag on the real kube-apiserver (list + choose + HEAD + verifying GET + status write).
import { createHash } from 'node:crypto';
import { fmt, median } from './lib.mjs';

const TAGS = Number(process.env.BENCH_TAGS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const USER = { username: 'alice', password: 'wonderland' };
const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A bearer token with push and pull on `repository`, from the registry's token server. */
async function pushToken(registry, repository) {
  const url = new URL(registry.tokenServer.realm);
  url.searchParams.set('service', registry.tokenServer.service);
  url.searchParams.set('scope', `repository:${repository}:pull,push`);
  const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}` } });
  return (await res.json()).token;
}

/** One image, then TAGS tags of it: 1.<minor>.<patch>, some pre-releases, and noise. */
async function pushTags(registry, repository) {
  const token = await pushToken(registry, repository);
  const auth = { authorization: `Bearer ${token}` };
  const blob = async (bytes) => {
    const digest = sha256(bytes);
    const started = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
    const location = new URL(started.headers.get('location'), registry.url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: bytes, headers: { ...auth, 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob PUT answered ${put.status}`);
    return { digest, size: bytes.length };
  };
  const layer = await blob(Buffer.from('layer'));
  const config = await blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })));
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }] });
  const tags = Array.from({ length: TAGS }, (_, i) => (i % 10 === 9 ? `1.${Math.floor(i / 100)}.${i % 100}-rc.1` : i % 10 === 8 ? `main-${i.toString(16)}` : `1.${Math.floor(i / 100)}.${i % 100}`));
  let next = 0;
  const worker = async () => {
    while (next < tags.length) {
      const tag = tags[next++];
      const res = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
      if (res.status !== 201) throw new Error(`manifest PUT ${tag} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

export async function benchTagPolicy() {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  const driver = tsxRequire('./push-driver.ts', import.meta.url);
  const namespace = 'bench';
  const bench = await driver.startBenchCluster({ namespace });
  let registry;
  let proxy;
  try {
    registry = await driver.startRegistry({ auth: 'token', users: { [USER.username]: USER.password } });
    const t0 = performance.now();
    await pushTags(registry, 'bench/many');
    const pushMs = performance.now() - t0;
    proxy = await driver.startFaultProxy(registry.host, () => ({ kind: 'paginate', pageSize: 1000 }));
    const policy = { semver: { range: '>=1.20.0 <1.40.0' } };
    const picks = [];
    for (let i = 0; i < RUNS; i++) {
      const since = proxy.requests.length;
      const started = performance.now();
      const pick = await driver.pickPolicyTag(`${proxy.host}/bench/many`, policy, { insecure: true, credentials: USER, authCache: new driver.AuthCache() });
      picks.push({ ms: performance.now() - started, tag: pick.choice.tag, pages: proxy.requests.slice(since).filter((r) => r.path.includes('/tags/list')).length });
    }
    const tags = [];
    const listed = await fetch(`${registry.url}/v2/bench/many/tags/list`, { headers: { authorization: `Bearer ${await pushToken(registry, 'bench/many')}` } }).then((r) => r.json());
    tags.push(...listed.tags);
    const chooseMs = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      driver.chooseTag(policy, tags);
      chooseMs.push(performance.now() - started);
    }
    // The whole import of a policy tag: pull secret, list, choose, HEAD, verifying GET (first run), status write.
    const secret = JSON.stringify({ auths: { [proxy.host]: { auth: Buffer.from(`${USER.username}:${USER.password}`).toString('base64') } } });
    await bench.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace }).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(secret).toString('base64') } });
    await driver.imageStreams(bench.kube, namespace).create({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'many' }, spec: {
      pullSecrets: [{ name: 'pull' }], tags: [{ name: 'stable', from: { kind: 'DockerImage', name: `${proxy.host}/bench/many` }, importPolicy: { insecure: true }, tagPolicy: policy }],
    } });
    const imports = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const report = await driver.importStream(bench.kube, { namespace, stream: 'many', registry: { authCache: new driver.AuthCache() } });
      if (!report.results[0].ok) throw new Error(JSON.stringify(report.results[0]));
      imports.push(performance.now() - started);
    }
    console.log(`\n## tag policy: semver '>=1.20.0 <1.40.0' over ${TAGS} tags on the real docker-registry with token auth, tags/list in pages of 1,000 (${RUNS} runs each; tags pushed in ${fmt(pushMs)})\n`);
    console.log('| step | median | max |');
    console.log('| --- | ---: | ---: |');
    console.log(`| list every page (${picks[0].pages} requests, the first answered 401 with the token challenge) and choose (${picks[0].tag}) | **${fmt(median(picks.map((p) => p.ms)))}** | ${fmt(Math.max(...picks.map((p) => p.ms)))} |`);
    console.log(`| choose alone, over the ${tags.length} tags | ${median(chooseMs).toFixed(1)} ms | ${Math.max(...chooseMs).toFixed(1)} ms |`);
    console.log(`| the whole import of the policy tag (pull secret, list, choose, HEAD, verify on the first run, status write) | **${fmt(median(imports))}** | ${fmt(Math.max(...imports))} |`);
  } finally {
    await proxy?.close();
    await registry?.close();
    await bench.stop();
  }
}
