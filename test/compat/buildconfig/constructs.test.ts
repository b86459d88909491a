/**
 * What our constructs write passes the BuildConfig CRD's rules on the real API server (the schema
 * tests in test/api/crds can't run CEL), with strict field validation, and is stored as written.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, type BuildConfigProps } from '../../../constructs/buildconfig';
import { GROUP_VERSION } from '../../../lib/api/group';
import { useTestKube } from '../../support/kube';
import { SERVER_DEFAULTS, create } from './support';

const kube = useTestKube('compat-bc-constructs');
const DIGEST = `sha256:${'7e'.repeat(32)}`;

/** The BuildConfig the construct writes with these props (in a chart with two streams, base and app). */
function synthesized(name: string, props: (streams: { base: ImageStream; app: ImageStream }) => Omit<BuildConfigProps, 'name'>): Record<string, any> {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
  const chart = new Chart(app, 'team', { namespace: 'team' });
  const base = new ImageStream(chart, 'base');
  base.importTag('1', { from: 'docker.io/library/alpine:3.20' });
  const appStream = new ImageStream(chart, 'app');
  new BuildConfig(chart, name, { name, ...props({ base, app: appStream }) });
  return Testing.synth(chart).find((o) => o.kind === 'BuildConfig');
}

const CASES: [string, Record<string, any>][] = [
  ['a Dockerfile build from git with triggers', synthesized('docker', ({ base, app }) => ({
    source: BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main', contextDir: 'app', sourceSecret: 'git' }),
    strategy: BuildStrategy.dockerfile({ from: base.tag('1'), pullSecret: 'pull', env: { A: '1' }, buildArgs: { V: '2' }, noCache: true }),
    output: BuildOutput.imageStreamTag(app.tag('latest'), { imageLabels: { team: 'a' } }),
    triggers: [BuildTrigger.imageChange(), BuildTrigger.configChange({ onSpecChange: true }), BuildTrigger.webhook({ type: 'GitLab', secret: 'hook' })],
    timeout: Duration.minutes(45),
    nodeSelector: { pool: 'builds' },
  }))],
  ['an S2I build with builders by language, polled', synthesized('s2i', ({ app }) => ({
    source: BuildSource.git({ uri: 'https://git.example.com/team/app.git', ref: 'main' }),
    strategy: BuildStrategy.sourceToImage({ builders: { python: `registry.example.com/builders/python@${DIGEST}` }, incremental: true }),
    output: BuildOutput.imageStreamTag(app.tag('latest')),
    triggers: [BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
  }))],
  ['a Buildpacks build', synthesized('buildpacks', ({ app }) => ({
    source: BuildSource.git({ uri: 'https://git.example.com/team/app.git' }),
    strategy: BuildStrategy.buildpacks({ builder: `registry.example.com/buildpacks/builder@${DIGEST}` }),
    output: BuildOutput.imageStreamTag(app.tag('latest')),
  }))],
  ['an inline Dockerfile', synthesized('inline', ({ app }) => ({
    source: BuildSource.dockerfile(`FROM registry.example.com/base/busybox@${DIGEST}\nRUN true\n`),
    strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.imageStreamTag(app.tag('latest')),
  }))],
  ['a binary build', synthesized('binary', ({ app }) => ({
    source: BuildSource.binary({ asFile: 'app.jar' }),
    strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.imageStreamTag(app.tag('latest')),
  }))],
];

describe('what the constructs write, on the real API server', () => {
  it.each(CASES)('accepts and keeps %s', async (_, bc) => {
    expect(bc.apiVersion).toBe(GROUP_VERSION);
    const res = await create(kube, { ...bc, metadata: { ...bc.metadata, namespace: kube.namespace } } as never);
    expect(res.body.message ?? '').toBe('');
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ ...SERVER_DEFAULTS, ...bc.spec });
  });
});
