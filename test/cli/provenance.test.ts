import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import type { TagEvent } from '../../lib/api/imagestream';
import { cli } from '../support/cli';
import { cliKube, testDigest, type CliKube } from './cluster';

const REGISTRY = 'registry.example.com';
const [J, B, F, OLD] = [testDigest(0x1), testDigest(0x2), testDigest(0x3), testDigest(0x4)];
const COMMIT_BASE = 'b'.repeat(40);
const COMMIT_FOO = 'f'.repeat(40);

// On the real API server: streams synthesized by the constructs, histories written as the importer and
// the controller's record-output write them (built items with build, commit and baseImage).
describe('imagestreams provenance', () => {
  let k: CliKube;
  let dir: string;
  beforeAll(async () => {
    k = await cliKube('cli-provenance');
    dir = mkdtempSync(join(tmpdir(), 'provenance-'));
  });
  afterAll(() => {
    k?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const provenance = (...args: string[]) => cli(dir, 'provenance', ...args, '--kubeconfig', k.kubeconfigPath);
  const record = async (stream: string, tag: string, items: TagEvent[]) => {
    const fresh = await k.imageStreams().get(stream);
    await k.imageStreams().updateStatus({ ...fresh, status: { tags: [{ tag, items }] } });
  };
  const item = (repo: string, image: string, extra: Partial<TagEvent> = {}): TagEvent => ({ dockerImageReference: `${REGISTRY}/${repo}@${image}`, image, created: '2026-01-01T00:00:00Z', ...extra });

  it('prints the chain of builds down to the imported base, each with its run, commit and base', async () => {
    // GIVEN jdk8:latest imported, base:latest built on it, foo:latest built on base (an older foo first in base's place)
    await k.create((chart) => {
      new ImageStream(chart, 'jdk8').importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk' });
      new ImageStream(chart, 'base').tag('latest');
      new ImageStream(chart, 'foo').tag('latest');
    });
    const ns = k.namespace;
    await record('jdk8', 'latest', [item(`${ns}/jdk8`, J)]);
    await record('base', 'latest', [item(`${ns}/base`, B, { build: `${ns}/base-2`, commit: COMMIT_BASE, baseImage: `${REGISTRY}/${ns}/jdk8@${J}` }), item(`${ns}/base`, OLD)]);
    await record('foo', 'latest', [item(`${ns}/foo`, F, { build: `${ns}/foo-7`, commit: COMMIT_FOO, baseImage: `${REGISTRY}/${ns}/base@${B}` })]);
    // WHEN asked where foo:latest comes from
    const run = await provenance('foo:latest');
    // THEN each link, down to the import
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        `foo:latest  ${REGISTRY}/${ns}/foo@${F}`,
        `  built by ${ns}/foo-7 from commit ${COMMIT_FOO}`,
        `  on ${REGISTRY}/${ns}/base@${B}`,
        `base:latest  ${REGISTRY}/${ns}/base@${B}`,
        `  built by ${ns}/base-2 from commit ${COMMIT_BASE}`,
        `  on ${REGISTRY}/${ns}/jdk8@${J}`,
        `jdk8:latest  ${REGISTRY}/${ns}/jdk8@${J}`,
        '  imported from docker.io/library/eclipse-temurin:8-jdk',
        '',
      ].join('\n'),
    });
  });

  it('says where the chain stops when no stream records a base, and fails for a tag without an image', async () => {
    await k.create((chart) => {
      new ImageStream(chart, 'lone').tag('latest');
      new ImageStream(chart, 'empty').tag('latest');
    });
    const ns = k.namespace;
    const elsewhere = `docker.io/library/busybox@${testDigest(0x9)}`;
    await record('lone', 'latest', [item(`${ns}/lone`, F, { build: `${ns}/lone-1`, baseImage: elsewhere })]);
    expect((await provenance('lone:latest')).stdout).toBe([
      `lone:latest  ${REGISTRY}/${ns}/lone@${F}`, `  built by ${ns}/lone-1`, `  on ${elsewhere}`, `${elsewhere}  (no stream of namespace "${ns}" records this base)`, '',
    ].join('\n'));
    const empty = await provenance('empty:latest');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty:latest has no image yet');
  });
});
