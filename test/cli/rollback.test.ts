import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from 'cdk8s';
import { ImageStream } from '../../constructs';
import type { ResourceClient } from '../../lib/runtime/kube/client';
import { ConflictError } from '../../lib/runtime/kube/errors';
import type { StreamObject } from '../../lib/runtime/imagestreams/streams';
import { rollbackTag } from '../../lib/cli/imagestream/rollback-tag';
import { cli } from '../support/cli';
import { pushImage } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { cliKube, setHistory, testDigest, unreachableKubeconfig, type CliKube } from './cluster';

const REPO = 'registry.example.com/team/app';
const [A, B, C] = [testDigest(0xa), testDigest(0xb), testDigest(0xc)];
/** A stream whose tag latest imports REPO:latest on a schedule, as the constructs make it. */
const latest = (name: string) => (chart: Chart) => new ImageStream(chart, name).importTag('latest', { from: `${REPO}:latest` });
/** The import policy of such a tag: scheduled, the constructs' interval and import mode. */
const SCHEDULED = { scheduled: true, intervalSeconds: 900, importMode: 'Legacy' };

// On the real API server: the tests of this file share a namespace, one story in order; streams are
// synthesized by the constructs, histories written as imports record them.
describe('imagestreams rollback', () => {
  let k: CliKube;
  let registry: RunningRegistry;
  let dir: string;
  beforeAll(async () => {
    [k, registry] = await Promise.all([cliKube('cli-rollback'), startRegistry()]);
    dir = mkdtempSync(join(tmpdir(), 'rollback-'));
  });
  afterAll(async () => {
    k?.close();
    await registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const streams = () => k.imageStreams();
  /** `<ns>` in a message or an argument is the test's namespace. */
  const inNs = (text: string) => text.replaceAll('<ns>', k.namespace);
  const rollback = (...args: string[]) => cli(dir, 'rollback', ...args.map(inNs), '--kubeconfig', k.kubeconfigPath);
  const importImage = (stream: string) => cli(dir, 'import-image', stream, '--kubeconfig', k.kubeconfigPath);
  const tagOf = async (stream: string) => (await streams().get(stream)).spec.tags!.find((t) => t.name === 'latest')!;
  const images = async (stream: string) => (await streams().get(stream)).status!.tags!.find((t) => t.tag === 'latest')!.items!.map((i) => i.image);
  async function streamWithHistory(name: string, digests: string[], build: (chart: Chart) => void = latest(name)): Promise<void> {
    await k.create(build);
    await setHistory(streams(), name, 'latest', digests);
  }

  it('puts the previous image in front as a new item, keeps the history and pauses the tag', async () => {
    // GIVEN app:latest with history C, B, A
    await streamWithHistory('app', [C, B, A]);
    const before = Date.now();
    // WHEN rolled back without --to
    const run = await rollback('app:latest');
    // THEN B is newest again, as a new item created now, and nothing was deleted
    expect(run).toEqual({
      code: 0,
      stdout: [`app:latest rolled back to ${REPO}@${B} (recorded 2026-01-01T00:02:00.000Z)`, `  was ${REPO}@${C}`, "app:latest paused: imports leave it alone until 'imagestreams rollback app:latest --clear'", ''].join('\n'),
      stderr: '',
    });
    const stream = await streams().get('app');
    const items = stream.status!.tags![0].items!;
    expect(items.map((i) => i.image)).toEqual([B, C, B, A]);
    expect(Date.parse(items[0].created)).toBeGreaterThanOrEqual(before - 1000);
    expect(items[0].generation).toBe(stream.metadata.generation);
    // AND the spec tag is paused, its other policy kept
    expect((await tagOf('app')).importPolicy).toEqual({ ...SCHEDULED, paused: true });
  });

  it('goes N items back with --to N and says when the tag stays paused', async () => {
    // GIVEN app:latest rolled back once (B, C, B, A) WHEN rolled back 3 items THEN A is in front
    const run = await rollback('<ns>/app:latest', '--to', '3');
    expect(run.stdout).toBe([`app:latest rolled back to ${REPO}@${A} (recorded 2026-01-01T00:01:00.000Z)`, `  was ${REPO}@${B}`, 'app:latest stays paused', ''].join('\n'));
    expect(await images('app')).toEqual([A, B, C, B, A]);
  });

  it('adds no item when the chosen image is the newest already', async () => {
    await streamWithHistory('same', [B, A, B]);
    expect((await rollback('same:latest', '--to', '2')).stdout).toBe(`same:latest is at ${REPO}@${B} already\nsame:latest paused: imports leave it alone until 'imagestreams rollback same:latest --clear'\n`);
    expect(await images('same')).toEqual([B, A, B]);
  });

  it('unpauses with --clear, and says so when the tag was not paused', async () => {
    // GIVEN app:latest paused by the rollbacks above WHEN cleared
    expect(await rollback('app:latest', '--clear')).toEqual({ code: 0, stdout: 'app:latest unpaused: scheduled imports move it again\n', stderr: '' });
    // THEN paused is gone from the spec, the rest of the policy and the history stay
    expect((await tagOf('app')).importPolicy).toEqual(SCHEDULED);
    expect(await images('app')).toEqual([A, B, C, B, A]);
    // WHEN cleared again THEN nothing changes
    const rv = (await streams().get('app')).metadata.resourceVersion;
    expect((await rollback('app:latest', '--clear')).stdout).toBe('app:latest was not paused\n');
    expect((await streams().get('app')).metadata.resourceVersion).toBe(rv);
  });

  it('removes an importPolicy that only held paused when cleared', async () => {
    // GIVEN a tag without an import policy: a build's output, with two builds in its history
    await streamWithHistory('bare', [B, A], (chart) => new ImageStream(chart, 'bare').declareOutputTag('latest'));
    await rollback('bare:latest');
    expect((await tagOf('bare')).importPolicy).toEqual({ paused: true });
    await rollback('bare:latest', '--clear');
    expect((await tagOf('bare')).importPolicy).toBeUndefined();
  });

  it('holds a paused tag against imports from the registry until cleared', async () => {
    // GIVEN a tag imported twice from the local registry: history v2, v1
    const v1 = await pushImage(registry.host, 'team/roll:latest');
    await k.create((chart) => new ImageStream(chart, 'roll').importTag('latest', { from: `${registry.host}/team/roll:latest`, insecure: true }));
    expect((await importImage('roll')).code).toBe(0);
    const v2 = await pushImage(registry.host, 'team/roll:latest');
    expect((await importImage('roll')).code).toBe(0);
    expect(await images('roll')).toEqual([v2.digest, v1.digest]);
    // WHEN rolled back to v1 and imported again
    expect((await rollback('roll:latest')).code).toBe(0);
    const imported = await importImage('roll');
    // THEN the importer skips the paused tag: v1 stays current
    expect(imported).toEqual({ code: 0, stdout: 'no tag to import (tags need a DockerImage source and must not be paused or reference-only)\n', stderr: '' });
    expect(await images('roll')).toEqual([v1.digest, v2.digest, v1.digest]);
    // WHEN cleared and imported THEN the registry's v2 is current again
    await rollback('roll:latest', '--clear');
    expect((await importImage('roll')).code).toBe(0);
    expect(await images('roll')).toEqual([v2.digest, v1.digest, v2.digest, v1.digest]);
  });

  it('recomputes after 409s from concurrent writers of spec and status, keeping what they wrote', async () => {
    // GIVEN app2:latest with history C, B, A and a build-output tag
    await streamWithHistory('app2', [C, B, A], (chart) => {
      const stream = new ImageStream(chart, 'app2');
      stream.importTag('latest', { from: `${REPO}:latest` });
      stream.declareOutputTag('built');
    });
    // WHEN another writer adds a spec tag before our spec write, and records a build before our status write
    const { streams: interfering, interferences } = interfered('app2');
    const report = await rollbackTag(interfering, { stream: 'app2', tag: 'latest', steps: 1, write: { sleep: async () => {} } });
    // THEN both our writes conflicted once and were recomputed; both writers' changes are there
    expect(interferences()).toEqual({ spec: 1, status: 1 });
    expect([report.from.image, report.to.image, report.moved]).toEqual([C, B, true]);
    const stream = await streams().get('app2');
    expect(stream.spec.tags!.map((t) => [t.name, t.importPolicy?.paused])).toEqual([['latest', true], ['built', undefined], ['extra', undefined]]);
    expect(stream.status!.tags!.map((t) => [t.tag, t.items!.map((i) => i.image)])).toEqual([['latest', [B, C, B, A]], ['built', [A]]]);
  });

  it('gives up with the ConflictError when the spec keeps changing', async () => {
    await streamWithHistory('busy', [B, A]);
    const { streams: interfering } = interfered('busy', 100);
    await expect(rollbackTag(interfering, { stream: 'busy', tag: 'latest', steps: 1, write: { retries: 2 } })).rejects.toBeInstanceOf(ConflictError);
    expect((await tagOf('busy')).importPolicy).toEqual(SCHEDULED);
  });

  /** The real client, except that another writer gets in before our first `times` spec and status writes. */
  function interfered(name: string, times = 1) {
    const count = { spec: 0, status: 0 };
    const real = streams();
    const interfering: ResourceClient<StreamObject> = {
      ...real,
      async mergePatch(target, patch, options) {
        if (count.spec < times) {
          const fresh = await real.get(name);
          await real.mergePatch(name, { spec: { tags: [...fresh.spec.tags!, { name: `extra${count.spec++ || ''}` }] } });
        }
        return real.mergePatch(target, patch, options);
      },
      async updateStatus(object, options) {
        if (count.status < times) {
          count.status++;
          await setHistory(real, name, 'built', [A]);
        }
        return real.updateStatus(object, options);
      },
    };
    return { streams: interfering, interferences: () => count };
  }

  it.each([
    [['solo:latest'], 'error: "solo:latest" has no earlier image to roll back to (one history item)\n'],
    [['fresh:latest'], 'error: "fresh:latest" has no earlier image to roll back to (no history)\n'],
    [['solo:latest', '--to', '1'], 'error: "solo:latest" has no earlier image to roll back to (one history item)\n'],
    [['app:latest', '--to', '5'], 'error: --to 5: "app:latest" has only 4 earlier images (--to 1 to 4)\n'],
    [['three:latest', '--to', '2'], 'error: --to 2: "three:latest" has only 1 earlier image (--to 1 to 1)\n'],
    [['app:nope'], 'error: tag "nope" not found in imagestream "app" (namespace "<ns>")\n'],
    [['app:nope', '--clear'], 'error: tag "nope" not found in imagestream "app" (namespace "<ns>")\n'],
    [['ghost:latest'], 'error: imagestream "ghost" not found in namespace "<ns>"\n'],
  ])('exits 1 with a clear message and changes nothing: rollback %j', async (args, stderr) => {
    // GIVEN streams with one, no, and two history items
    if (!(await streams().list()).items.some((s) => s.metadata.name === 'solo')) {
      await streamWithHistory('solo', [A]);
      await k.create(latest('fresh'));
      await streamWithHistory('three', [B, A]);
    }
    const before = (await streams().list()).items.map((s) => s.metadata.resourceVersion);
    expect(await rollback(...args)).toEqual({ code: 1, stdout: '', stderr: inNs(stderr) });
    expect((await streams().list()).items.map((s) => s.metadata.resourceVersion)).toEqual(before);
  });

  it.each([
    [[], 'the STREAM:TAG argument is missing'],
    [['app'], "'app' must look like stream:tag or namespace/stream:tag"],
    [['app:latest', '--to', '0'], "--to must be a positive integer (1 is the previous image), not '0'"],
    [['app:latest', '--to=-1'], "--to must be a positive integer (1 is the previous image), not '-1'"],
    [['app:latest', '--to', 'two'], "--to must be a positive integer (1 is the previous image), not 'two'"],
    [['app:latest', '--to', '1', '--clear'], '--to and --clear exclude each other'],
    [['app:latest', 'app:v2'], "unexpected argument 'app:v2'"],
  ])('is a usage error (exit 2): rollback %j', async (args, message) => {
    expect(await rollback(...args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nsee 'imagestreams rollback --help'\n` });
  });

  it('prints its help, which says how to keep GitOps from reverting the pause', async () => {
    const run = await cli(dir, 'rollback', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: imagestreams rollback STREAM:TAG \[options\]\n/);
    expect(run.stdout).toContain("jqPathExpressions: ['.spec.tags[].importPolicy.paused']");
  });

  it('exits 1 with a clear message when the cluster is not there', async () => {
    const kubeconfig = await unreachableKubeconfig(k);
    try {
      const run = await cli(dir, 'rollback', 'app:latest', '--kubeconfig', kubeconfig.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot roll back on the cluster at ${kubeconfig.server}: .*ECONNREFUSED`));
    } finally {
      kubeconfig.remove();
    }
  });
});
