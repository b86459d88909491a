import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
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
      const app = new ImageStream(chart, 'app');
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

  it('copies across namespaces with namespace/stream:tag', async () => {
    // GIVEN a stream base in namespace other with an image (its tag v1 a build's output), and a stream consumer here
    await k.create((chart) => new ImageStream(chart, 'base').declareOutputTag('v1'), other);
    await setHistory(k.imageStreams(other), 'base', 'v1', [C], 'registry.example.com/base');
    await k.create((chart) => new ImageStream(chart, 'consumer'));
    // WHEN tagged into the test's namespace, and back with -n other
    expect((await tag(`${other}/base:v1`, 'consumer:base')).stdout).toBe(`consumer:base set to registry.example.com/base@${C} (from ${other}/base:v1)\n`);
    expect((await tag('<ns>/app:latest', 'base:app', '-n', other)).stdout).toBe(`base:app set to ${REPO}@${B} (from ${k.namespace}/app:latest)\n`);
    // THEN
    expect(await items('consumer', 'base')).toEqual([C]);
    expect((await specTag('base', 'app', other))?.from).toEqual({ kind: 'DockerImage', name: `${REPO}@${B}` });
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
