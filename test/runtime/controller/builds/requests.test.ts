import { describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream } from '../../../../constructs';
import type { PipelineRun } from '../../../../lib/api/pipeline-run';
import { manualRun } from '../../../../lib/cli/builds/manual-run';
import type { BuildConfigResource } from '../../../../lib/cli/builds/resources';
import { buildForRequest } from '../../../../lib/runtime/controller/builds/requests';
import { synthApp } from '../../../support/synth-app';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** The seed's foo as synthesized, with a uid as the cluster gives it. */
function foo(): BuildConfigResource {
  const app = synthApp(({ chart }) => {
    const seed = chart('seed');
    const out = new ImageStream(seed, 'foo');
    new BuildConfig(seed, 'foo-build', { name: 'foo', source: BuildSource.binary(), strategy: BuildStrategy.dockerfile({ from: 'busybox:1.36' }), output: BuildOutput.imageStreamTag(out.tag('latest')) });
  });
  const bc = app.one('BuildConfig', 'foo');
  return { ...bc, metadata: { ...bc.metadata, uid: 'uid-foo' } } as BuildConfigResource;
}

const paramsOf = (run: PipelineRun) => Object.fromEntries((run.spec.params ?? []).map((p) => [p.name, p.value]));
const withCause = (run: PipelineRun, cause: string): PipelineRun => ({ ...run, metadata: { ...run.metadata, name: 'req', annotations: { 'imagestreams.dev/cause': cause } } });

describe('buildForRequest: what a start-build request may choose', () => {
  it("keeps a Manual request's env, build args and uploaded sources, as start-build wrote them", () => {
    const bc = foo();
    const request = { ...manualRun(bc, { env: { E: '$(x)' }, buildArgs: { A: '1' }, sourceArchive: `registry.test/seed/foo/build-context@${DIGEST}` }), metadata: { name: 'req', annotations: { 'imagestreams.dev/cause': 'Manual' } } } as PipelineRun;
    const build = buildForRequest(bc, request, 3, { pending: true });
    expect(paramsOf(build)).toEqual({ SOURCE_ARCHIVE: `registry.test/seed/foo/build-context@${DIGEST}`, CONTEXT_DIR: '.', RUN_ENV: ['E=%24(x)'], RUN_BUILD_ARGS: ['A=1'] });
  });

  it('reads them from no other cause: a webhook request carrying RUN_ENV or SOURCE_ARCHIVE builds without them', () => {
    const bc = foo();
    const request = withCause(manualRun(bc, { env: { E: 'x' }, sourceArchive: `registry.test/x/y@${DIGEST}` }), 'GitHub');
    expect(paramsOf(buildForRequest(bc, request, 3, { pending: true }))).toEqual({ CONTEXT_DIR: '.' });
  });

  it('refuses a Manual request whose items are not NAME=value or whose sources are not named by digest', () => {
    const bc = foo();
    const bad = (params: { name: string; value: string | string[] }[]) => ({ ...withCause(manualRun(bc), 'Manual'), spec: { ...manualRun(bc).spec, params } }) as PipelineRun;
    expect(() => buildForRequest(bc, bad([{ name: 'RUN_ENV', value: ['=x'] }]), 1, { pending: true })).toThrowError('request req has RUN_ENV ["=x"], which is not a list of NAME=value items');
    expect(() => buildForRequest(bc, bad([{ name: 'SOURCE_ARCHIVE', value: 'registry.test/x/y:latest' }]), 1, { pending: true })).toThrowError(
      'request req has SOURCE_ARCHIVE "registry.test/x/y:latest", which is not an image reference by digest',
    );
  });

  it("keeps a Generic webhook's env only while the BuildConfig's Generic trigger has allowEnv (OpenShift's), never its uploaded sources", () => {
    const base = foo();
    const request = withCause(manualRun(base, { env: { E: 'x' }, sourceArchive: `registry.test/x/y@${DIGEST}` }), 'Generic');
    const withTrigger = (allowEnv: boolean): BuildConfigResource => ({ ...base, spec: { ...base.spec, triggers: [{ type: 'generic', generic: { secret: 's', allowEnv } }] } });
    expect(paramsOf(buildForRequest(withTrigger(true), request, 3, { pending: true }))).toEqual({ CONTEXT_DIR: '.', RUN_ENV: ['E=x'] });
    expect(paramsOf(buildForRequest(withTrigger(false), request, 3, { pending: true }))).toEqual({ CONTEXT_DIR: '.' });
  });
});
