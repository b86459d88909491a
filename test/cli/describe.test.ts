import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../constructs';
import { cli } from '../support/cli';
import { cliKube, setHistory, testDigest, type CliKube } from './cluster';

const REPO = 'registry.example.com/team/app';

// On the real API server: a stream synthesized by the constructs with one tag of each kind, its
// history and conditions written as imports record them.
describe('imagestreams describe is/NAME', () => {
  let k: CliKube;
  beforeAll(async () => {
    k = await cliKube('cli-describe');
    await k.create((chart) => {
      const s = new ImageStream(chart, 'jdk8', { historyLimit: 5, pullSecrets: ['hub'], lookupPolicy: { local: true } }).allowPull('web');
      s.importTag('latest', { from: 'eclipse-temurin:8-jdk', interval: (require('cdk8s') as typeof import('cdk8s')).Duration.minutes(30) });
      s.importTag('multi', { from: 'quay.io/org/base:1', importMode: 'PreserveOriginal', scheduled: false, referencePolicy: 'Local' });
      s.pinTag('v1', `${REPO}@${testDigest(1)}`);
      s.referenceTag('upstream', 'eclipse-temurin:8-jdk');
      s.aliasTag('stable', ImageStreamTag.external(`${k.namespace}/jdk8:latest`));
      s.declareOutputTag('built');
    });
    await setHistory(k.imageStreams(), 'jdk8', 'latest', [testDigest(3), testDigest(2)]);
    const fresh = await k.imageStreams().get('jdk8');
    const latest = fresh.status!.tags!.find((t) => t.tag === 'latest')!;
    const failed = { type: 'ImportSuccess' as const, status: 'False' as const, reason: 'NotFound', message: 'quay.io/org/base:1 not found: manifest unknown', lastTransitionTime: new Date().toISOString() };
    await k.imageStreams().updateStatus({ ...fresh, status: { tags: [{ ...latest, lastImportAttempt: new Date().toISOString() }, { tag: 'multi', conditions: [failed] }] } });
  });
  afterAll(() => k?.close());
  const describeIs = (...args: string[]) => cli(process.cwd(), 'describe', ...args, '--kubeconfig', k.kubeconfigPath);

  it('shows the stream, then each tag: its source and policy, its history newest first, its conditions', async () => {
    const run = await describeIs('is/jdk8');
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\d+[smhd] ago/g, 'AGO').replace(/\t+/g, ' ');
    expect(text).toBe([
      'Name: jdk8',
      `Namespace: ${k.namespace}`,
      'Created: AGO',
      `Image Repository: registry.test/${k.namespace}/jdk8`,
      'Lookup Policy: local',
      'History Limit: 5',
      'Pull Secrets: hub, registry-push',
      'Grants: web (Pull)',
      'Tags: 6',
      '',
      'latest',
      '  tagged from docker.io/library/eclipse-temurin:8-jdk (imported every 30m)',
      '',
      `  * ${REPO}@${testDigest(3)}`,
      '      AGO',
      `    ${REPO}@${testDigest(2)}`,
      '      AGO',
      '  Last import: AGO',
      '',
      'multi',
      `  tagged from quay.io/org/base:1 (imported once, manifest list kept, copied into registry.test/${k.namespace}/jdk8)`,
      '  no image yet',
      '  ImportSuccess: False NotFound: quay.io/org/base:1 not found: manifest unknown (since AGO)',
      '',
      'v1',
      `  tagged from ${REPO}@${testDigest(1)} (pinned)`,
      '  no image yet',
      '',
      'upstream',
      '  references docker.io/library/eclipse-temurin:8-jdk (never imported)',
      '',
      'stable',
      `  follows jdk8:latest (alias)`,
      '  no image yet',
      '',
      'built',
      '  pushed by builds',
      '  no image yet',
      '',
    ].join('\n'));
    // AND the other spellings name the same stream
    const ago = (out: string) => out.replace(/\d+[smhd] ago/g, 'AGO'); // a second may pass between the two runs
    expect(ago((await describeIs('is', 'jdk8')).stdout)).toBe(ago(run.stdout));
    expect((await describeIs('imagestream/jdk8')).code).toBe(0);
  });

  it.each([
    [['is/nope'], 'error: imagestream "nope" not found in namespace "<ns>"\n', 1],
    [['bc/foo'], "error: describe shows ImageStreams (is/NAME), not 'bc'\nsee 'imagestreams describe --help'\n", 2],
    [[], "error: name what to describe: describe is/NAME\nsee 'imagestreams describe --help'\n", 2],
  ])('reports what is wrong: describe %j', async (args, stderr, code) => {
    expect(await describeIs(...args)).toEqual({ code, stdout: '', stderr: stderr.replace('<ns>', k.namespace) });
  });
});
