import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../constructs';
import { cli } from '../support/cli';
import { pushImage } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { cliKube, setHistory, testDigest, unreachableKubeconfig, type CliKube } from './cluster';

const REPO = 'registry.example.com/team/app';
const A = testDigest(0xa);
const B = testDigest(0xb);
const C = testDigest(0xc);

// On the real API server: the tests of this file share a namespace (and a second one, `other`), one
// story in order; streams are synthesized by the constructs, histories written as imports record them.
describe('imagestreams tag', () => {
  let k: CliKube;
  let other: string;
  let registry: RunningRegistry;
  let dir: string;
  beforeAll(async () => {
    [k, registry] = await Promise.all([cliKube('cli-tag'), startRegistry()]);
    other = await k.newNamespace('cli-tag-other');
    dir = mkdtempSync(join(tmpdir(), 'tag-'));
    await k.create((chart) => {
      const app = new ImageStream(chart, 'app').allowPull(other);
      app.importTag('latest', { from: `${REPO}:latest`, insecure: true });
      app.importTag('empty', { from: `${REPO}:empty`, scheduled: false });
    });
    await setHistory(k.imageStreams(), 'app', 'latest', [B, A]);
  });
  afterAll(async () => {
    k?.close();
    await registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** `<ns>` in a message or an argument is the test's namespace. */
  const inNs = (text: string) => text.replaceAll('<ns>', k.namespace);
  const tag = (...args: string[]) => cli(dir, 'tag', ...args.map(inNs), '--kubeconfig', k.kubeconfigPath);
  const specTag = async (stream: string, name: string, ns = k.namespace) =>
    (await k.imageStreams(ns).get(stream)).spec.tags?.find((t) => t.name === name);
  const items = async (stream: string, name: string) =>
    (await k.imageStreams().get(stream)).status?.tags?.find((t) => t.tag === name)?.items?.map((i) => i.image);
  /** What a tag pinned by `tag` keeps of app:latest's import policy (the constructs' importMode included). */
  const PINNED_POLICY = { insecure: true, importMode: 'Legacy', scheduled: false };

  it("copies SRC's newest image into DST, pinned by digest, and adds no duplicate item", async () => {
    // GIVEN app:latest with history B, A and a stream prod without tags
    await k.create((chart) => new ImageStream(chart, 'prod'));
    // WHEN app:latest is tagged into prod:live
    expect(await tag('app:latest', 'prod:live')).toEqual({ code: 0, stdout: `prod:live set to ${REPO}@${B} (from app:latest)\n`, stderr: '' });
    // THEN prod:live is pinned to B, not scheduled, keeps the source's insecure policy (and import mode), and B is its newest item
    expect(await specTag('prod', 'live')).toEqual({ name: 'live', from: { kind: 'DockerImage', name: `${REPO}@${B}` }, importPolicy: PINNED_POLICY });
    expect(await items('prod', 'live')).toEqual([B]);
    // WHEN tagged again THEN nothing is added
    expect((await tag('app:latest', 'prod:live')).stdout).toBe(`prod:live already at ${REPO}@${B} (from app:latest)\n`);
    expect(await items('prod', 'live')).toEqual([B]);
    // WHEN app:latest moves to C and is tagged again THEN C is in front of B
    await setHistory(k.imageStreams(), 'app', 'latest', [C, B, A]);
    expect((await tag('app:latest', 'prod:live')).code).toBe(0);
    expect(await items('prod', 'live')).toEqual([C, B]);
    expect((await specTag('prod', 'live'))?.from).toEqual({ kind: 'DockerImage', name: `${REPO}@${C}` });
  });

  it('replaces an existing tag\'s source and keeps its other fields, dropping its old import conditions', async () => {
    // GIVEN edge:edge that tracks a registry tag and failed its last import
    await k.create((chart) => new ImageStream(chart, 'edge').importTag('edge', { from: `${REPO}:edge` }));
    const fresh = await k.imageStreams().get('edge');
    await k.imageStreams().updateStatus({ ...fresh, status: { tags: [{ tag: 'edge', items: [], conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'gone' }] }] } });
    // WHEN app:latest is tagged into it
    await setHistory(k.imageStreams(), 'app', 'latest', [B, A]);
    expect((await tag('app:latest', 'edge:edge')).code).toBe(0);
    // THEN it is pinned, no longer scheduled, keeps referencePolicy; the stale condition is gone
    expect(await specTag('edge', 'edge')).toEqual({ name: 'edge', from: { kind: 'DockerImage', name: `${REPO}@${B}` }, importPolicy: PINNED_POLICY, referencePolicy: { type: 'Source' } });
    const status = (await k.imageStreams().get('edge')).status!.tags![0];
    expect(status.conditions).toBeUndefined();
    expect(status.items!.map((i) => i.image)).toEqual([B]);
  });

  it('50 concurrent tag commands into one tag all succeed, and its history holds all 50 with the newest matching the spec', async () => {
    // GIVEN 50 source tags, each its own image, and a destination whose history can hold them all
    await k.create((chart) => {
      const source = new ImageStream(chart, 'fifty');
      for (let i = 0; i < 50; i++) source.declareOutputTag(`t${i}`);
      new ImageStream(chart, 'crowd', { historyLimit: 60 }).declareOutputTag('live');
    });
    const digests = Array.from({ length: 50 }, (_, i) => testDigest(0x1000 + i));
    for (const [i, d] of digests.entries()) await setHistory(k.imageStreams(), 'fifty', `t${i}`, [d]);
    // WHEN each is tagged into crowd:live at the same time
    const runs = await Promise.all(digests.map((_, i) => tag(`fifty:t${i}`, 'crowd:live')));
    // THEN every command succeeded
    expect(runs.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    // AND the history holds each image once, the newest being the one the spec tag is pinned to
    const history = (await items('crowd', 'live'))!;
    expect([...history].sort()).toEqual([...digests].sort());
    expect((await specTag('crowd', 'live'))?.from).toEqual({ kind: 'DockerImage', name: `${REPO}@${history[0]}` });
  }, 120_000);

  it('copies across namespaces with namespace/stream:tag, where the source grants Pull', async () => {
    // GIVEN a stream base in namespace other with an image (its tag v1 a build's output) that this namespace may pull, and a stream consumer here
    await k.create((chart) => new ImageStream(chart, 'base').allowPull(k.namespace).declareOutputTag('v1'), other);
    await setHistory(k.imageStreams(other), 'base', 'v1', [C], 'registry.example.com/base');
    await k.create((chart) => new ImageStream(chart, 'consumer'));
    // WHEN tagged into the test's namespace, and back with -n other
    expect((await tag(`${other}/base:v1`, 'consumer:base')).stdout).toBe(`consumer:base set to registry.example.com/base@${C} (from ${other}/base:v1)\n`);
    expect((await tag('<ns>/app:latest', 'base:app', '-n', other)).stdout).toBe(`base:app set to ${REPO}@${B} (from ${k.namespace}/app:latest)\n`);
    // THEN
    expect(await items('consumer', 'base')).toEqual([C]);
    expect((await specTag('base', 'app', other))?.from).toEqual({ kind: 'DockerImage', name: `${REPO}@${B}` });
  });

  it('refuses to copy from a stream of another namespace that grants no Pull, and to write into one that grants no Push', async () => {
    // GIVEN other/closed, which grants nothing, with an image
    await k.create((chart) => new ImageStream(chart, 'closed').declareOutputTag('v1'), other);
    await setHistory(k.imageStreams(other), 'closed', 'v1', [C]);
    // WHEN copied or aliased into this namespace THEN refused, naming the grant that would allow it
    const pull = `error: namespace '${k.namespace}' may not pull from ImageStream '${other}/closed': it grants Pull to namespaces it lists in spec.grants (the stream's owner adds { namespace: '${k.namespace}', access: 'Pull' }, or stream.allowPull('${k.namespace}') in the constructs)\n`;
    expect(await tag(`${other}/closed:v1`, 'consumer:closed')).toEqual({ code: 1, stdout: '', stderr: pull });
    expect(await tag(`${other}/closed:v1`, 'consumer:closed', '--alias')).toEqual({ code: 1, stdout: '', stderr: pull });
    // WHEN this namespace tags into other's stream (which grants it Pull on base, not Push) THEN refused too
    const push = `error: namespace '${k.namespace}' may not push to ImageStream '${other}/base': it grants Push to namespaces it lists in spec.grants (the stream's owner adds { namespace: '${k.namespace}', access: 'Push' }, or stream.allowPush('${k.namespace}') in the constructs)\n`;
    expect(await tag('app:latest', `${other}/base:mine`)).toEqual({ code: 1, stdout: '', stderr: push });
    expect(await tag('-d', `${other}/base:v1`)).toEqual({ code: 1, stdout: '', stderr: push });
    expect((await k.imageStreams(other).get('base')).spec.tags!.map((t) => t.name)).toEqual(['v1', 'app']);
  });

  it('copies from any kind of tag: an alias (followed to its image), a pinned tag, a reference tag (DST becomes a reference)', async () => {
    // GIVEN kinds:alias following app:latest (at B), kinds:pinned, kinds:ref a reference-only tag; a stream copies
    await k.create((chart) => {
      const s = new ImageStream(chart, 'kinds');
      s.aliasTag('alias', ImageStreamTag.external(`${k.namespace}/app:latest`));
      s.pinTag('pinned', `${REPO}@${A}`);
      s.referenceTag('ref', 'quay.io/team/tool:v1');
      new ImageStream(chart, 'copies');
    });
    await setHistory(k.imageStreams(), 'kinds', 'pinned', [A]);
    await setHistory(k.imageStreams(), 'app', 'latest', [B, A]);
    // WHEN each is copied THEN the alias gives app:latest's image, the pinned its own, the reference a reference
    expect((await tag('kinds:alias', 'copies:alias')).stdout).toBe(`copies:alias set to ${REPO}@${B} (from kinds:alias)\n`);
    expect((await tag('kinds:pinned', 'copies:pinned')).stdout).toBe(`copies:pinned set to ${REPO}@${A} (from kinds:pinned)\n`);
    expect((await tag('kinds:ref', 'copies:ref')).stdout).toBe('copies:ref now references quay.io/team/tool:v1 (from kinds:ref)\n');
    expect(await specTag('copies', 'ref')).toEqual({ name: 'ref', from: { kind: 'DockerImage', name: 'quay.io/team/tool:v1' }, reference: true });
    expect(await items('copies', 'alias')).toEqual([B]);
    // AND an alias of an alias of ... that comes back is a cycle, said so
    await k.imageStreams().mergePatch('kinds', { spec: { tags: [...(await k.imageStreams().get('kinds')).spec.tags!, { name: 'a1', from: { kind: 'ImageStreamTag', name: 'a2' } }, { name: 'a2', from: { kind: 'ImageStreamTag', name: 'kinds:a1' } }] } });
    expect((await tag('kinds:a1', 'copies:loop')).stderr).toBe(`error: alias tags form a cycle: ${k.namespace}/kinds:a1 -> ${k.namespace}/kinds:a2 -> ${k.namespace}/kinds:a1\n`);
  });

  it('deletes tags with -d: spec tag and history, and says which is not there', async () => {
    // GIVEN copies:alias and copies:pinned (copied above)
    expect(await tag('-d', 'copies:alias', 'copies:pinned')).toEqual({ code: 0, stdout: 'deleted tag copies:alias\ndeleted tag copies:pinned\n', stderr: '' });
    const stream = await k.imageStreams().get('copies');
    expect(stream.spec.tags!.map((t) => t.name)).toEqual(['ref']);
    expect((stream.status?.tags ?? []).map((t) => t.tag)).toEqual([]);
    expect(await tag('-d', 'copies:alias')).toEqual({ code: 1, stdout: '', stderr: `error: tag "alias" not found in imagestream "copies" (namespace "${k.namespace}")\n` });
    expect((await tag('-d')).code).toBe(2);
  });

  it('resolves an image reference SRC now and pins it; the importer then leaves the tag alone', async () => {
    // GIVEN an image in the local registry and a stream
    const pushed = await pushImage(registry.host, 'team/tool:v1');
    await k.create((chart) => new ImageStream(chart, 'tools'));
    // WHEN its tag reference is tagged into tools:tool (detected as an image by its registry host)
    const ref = `${registry.host}/team/tool@${pushed.digest}`;
    expect(await tag(`${registry.host}/team/tool:v1`, 'tools:tool', '--insecure')).toEqual({ code: 0, stdout: `tools:tool set to ${ref} (from ${registry.host}/team/tool:v1)\n`, stderr: '' });
    // THEN the tag is pinned to the digest with the insecure policy, and import-image has nothing to do
    expect(await specTag('tools', 'tool')).toEqual({ name: 'tool', from: { kind: 'DockerImage', name: ref }, importPolicy: { insecure: true, scheduled: false } });
    expect(await items('tools', 'tool')).toEqual([pushed.digest]);
    expect((await cli(dir, 'import-image', 'tools', '--kubeconfig', k.kubeconfigPath)).stdout).toMatch(/^no tag to import/);
  });

  it('exits 1 when an image SRC cannot be resolved', async () => {
    const run = await tag(`${registry.host}/team/tool:v9`, 'tools:v9', '--source', 'docker', '--insecure');
    expect(run).toEqual({ code: 1, stdout: '', stderr: `error: cannot resolve ${registry.host}/team/tool:v9: NotFound: ${registry.host}/team/tool:v9 not found: manifest unknown\n` });
  });

  it('makes DST an alias with --alias, naming the namespace only when it differs', async () => {
    // GIVEN prod:live, a copied (pinned) tag
    // WHEN it becomes an alias of app:latest, and prod:base an alias of other/base:v1
    expect(await tag('app:latest', 'prod:live', '--alias')).toEqual({ code: 0, stdout: 'prod:live now follows app:latest (alias)\n', stderr: '' });
    expect((await tag(`${other}/base:v1`, 'prod:base', '--alias')).stdout).toBe(`prod:base now follows ${other}/base:v1 (alias)\n`);
    // THEN the spec tags follow them, without import policies
    expect(await specTag('prod', 'live')).toEqual({ name: 'live', from: { kind: 'ImageStreamTag', name: 'app:latest' } });
    expect(await specTag('prod', 'base')).toEqual({ name: 'base', from: { kind: 'ImageStreamTag', name: 'base:v1', namespace: other } });
  });

  it('refuses an alias that would close a cycle', async () => {
    // GIVEN prod:live follows app:latest WHEN app:latest would follow prod:live THEN exit 1
    expect(await tag('prod:live', 'app:latest', '--alias')).toEqual({ code: 1, stdout: '', stderr: 'error: "prod:live" follows "app:latest" already: the alias would make a cycle\n' });
    expect((await specTag('app', 'latest'))?.from).toEqual({ kind: 'DockerImage', name: `${REPO}:latest` });
  });

  it.each([
    [['app:empty', 'prod:x'], 'error: "app:empty" has no image yet: import it first (imagestreams import-image app -n <ns>)\n'],
    [['app:nope', 'prod:x'], 'error: tag "nope" not found in imagestream "app" (namespace "<ns>")\n'],
    [['app:nope', 'prod:x', '--alias'], 'error: tag "nope" not found in imagestream "app" (namespace "<ns>")\n'],
    [['ghost:latest', 'prod:x'], 'error: imagestream "ghost" not found in namespace "<ns>"\n'],
    [['app:latest', 'ghost:x'], 'error: imagestream "ghost" not found in namespace "<ns>"\n'],
  ])('exits 1 with a clear message: tag %j', async (args, stderr) => {
    expect(await tag(...args)).toEqual({ code: 1, stdout: '', stderr: inNs(stderr) });
  });

  it.each([
    [[], 'the SRC argument is missing'],
    [['app:latest'], 'the DST argument is missing'],
    [['app', 'prod:x'], "'app' must look like stream:tag or namespace/stream:tag"],
    [['app:latest', 'Prod:x'], "'Prod:x': 'Prod' is not a valid ImageStream name"],
    [['app:latest', 'prod:x', '--source', 'git'], "--source must be imagestreamtag or docker, not 'git'"],
    [['app:latest', 'app:latest', '--alias'], '"app:latest" cannot be an alias of itself'],
    [['app:latest', '<ns>/app:latest', '--alias'], '"app:latest" cannot be an alias of itself'],
    [['quay.io/team/app:v1', 'prod:x', '--alias'], "--alias needs a stream tag as SRC, not the image 'quay.io/team/app:v1'"],
    [['quay.io/Team/app:v1', 'prod:x'], 'invalid image reference "quay.io/Team/app:v1": repository name must be lowercase'],
  ])('is a usage error (exit 2): tag %j', async (args, message) => {
    expect(await tag(...args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nsee 'imagestreams tag --help'\n` });
  });

  it('prints its help', async () => {
    const run = await cli(dir, 'tag', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: imagestreams tag SRC DST \[options\]\n/);
  });

  it('exits 1 with a clear message when the cluster is not there', async () => {
    const kubeconfig = await unreachableKubeconfig(k);
    try {
      const run = await cli(dir, 'tag', 'app:latest', 'prod:x', '--kubeconfig', kubeconfig.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot tag on the cluster at ${kubeconfig.server}: .*ECONNREFUSED`));
    } finally {
      kubeconfig.remove();
    }
  });
});
