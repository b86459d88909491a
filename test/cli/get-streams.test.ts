import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../constructs';
import { cli } from '../support/cli';
import { cliKube, setHistory, testDigest, type CliKube } from './cluster';

// On the real API server: streams synthesized by the constructs, one with six tags, their history
// written as imports record it.
describe('imagestreams get is', () => {
  let k: CliKube;
  beforeAll(async () => {
    k = await cliKube('cli-get-is');
    await k.create((chart) => {
      const jdk = new ImageStream(chart, 'jdk8');
      jdk.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
      jdk.importTag('8u402', { from: 'eclipse-temurin:8u402-b06-jdk', scheduled: false });
      jdk.pinTag('v1', `registry.example.com/team/app@${testDigest(1)}`);
      jdk.referenceTag('upstream', 'eclipse-temurin:8-jdk');
      jdk.aliasTag('stable', ImageStreamTag.external(`${k.namespace}/jdk8:latest`));
      jdk.declareOutputTag('built');
      new ImageStream(chart, 'app').importTag('1.0', { from: 'quay.io/org/app:1.0' });
    });
    await setHistory(k.imageStreams(), 'jdk8', 'latest', [testDigest(3), testDigest(2)]);
  });
  afterAll(() => k?.close());
  const get = (...args: string[]) => cli(process.cwd(), 'get', ...args, '--kubeconfig', k.kubeconfigPath);

  it('lists each stream with every tag, not the first only', async () => {
    const run = await get('is');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED']);
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ['app', '1.0'],
      ['jdk8', 'latest,8u402,v1,upstream,stable,built'],
    ]);
    expect(rows[2][1]).toBe(`registry.test/${k.namespace}/jdk8`);
    expect(rows[2][3]).toMatch(/^\d+[smhd]/);
  });

  it('lists one stream by name, and says when it is not there', async () => {
    const one = await get('imagestreams', 'app');
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n')).toHaveLength(3);
    expect(one.stdout).toContain('1.0');
    const missing = await get('is', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope');
  });
});
