import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import type { PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import {
  imageConfig, makeGitRepo, pushBusyboxBase, pushS2IBuilder, readFileFromImage, referrersOf, servedDigest, statementOf, type GitRepo,
} from '../../support/tekton/build-fixtures';
import { runPipeline } from '../../support/tekton/run-pipeline';

/**
 * The real build proof: an app is synthesized, and the Pipelines and Tasks it EMITS run with real
 * git, buildah and a real registry, given only the params the controller passes (BASE_IMAGE by
 * digest, REVISION).
 */

let registry: RunningRegistry;
let baseDigest: string;
let builderDigest: string;
let dir: string;
let dockerRepo: GitRepo;
let nodeRepo: GitRepo;
let multiRepo: GitRepo;
let firstFooDigest: string;
let objects: { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> }[];

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'bc-real-build-'));
  chmodSync(dir, 0o755); // the buildpacks step runs as the CNB user
  baseDigest = await pushBusyboxBase(registry.host, 'mirror/base:1', 'the-streamed-base');
  builderDigest = await pushS2IBuilder(registry.host, 'mirror/node-builder:1', `${registry.host}/mirror/base:1`);
  // The Dockerfile names a base that does not exist here: only `from` (BASE_IMAGE) can make it build.
  dockerRepo = await makeGitRepo(path.join(dir, 'docker-repo'), {
    Dockerfile: 'FROM registry.invalid/nothing:1\nARG VERSION\nRUN cat /etc/base-marker > /seen-base && echo "$GREETING $VERSION" > /greeting\n',
  });
  await pushBusyboxBase(registry.host, 'mirror/stage-base:1', 'the-stage-base');
  // Two stages whose FROMs exist nowhere: the build stage gets its image from 'stages', the last from 'from'.
  multiRepo = await makeGitRepo(path.join(dir, 'multi-repo'), {
    Dockerfile: 'FROM registry.invalid/builder:1 AS Build\nRUN cat /etc/base-marker > /built-on\nFROM registry.invalid/nothing:1\nCOPY --from=build /built-on /built-on\n',
  });
  nodeRepo = await makeGitRepo(path.join(dir, 'node-repo'), { 'package.json': '{}', 'hello.txt': 'hello from s2i\n' });

  // GIVEN an app: a System whose registry is the test registry, streams for the bases and outputs,
  // and four BuildConfigs in one namespace
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: registry.host, insecure: true }) });
  const chart = new Chart(app, 'seed', { namespace: 'seed' });
  const base = new ImageStream(chart, 'base');
  base.importTag('latest', { from: `${registry.host}/mirror/base:1`, insecure: true });
  const builder = new ImageStream(chart, 'node-builder');
  builder.importTag('1', { from: `${registry.host}/mirror/node-builder:1`, insecure: true });
  const foo = new ImageStream(chart, 'foo');
  const web = new ImageStream(chart, 'web');
  new BuildConfig(chart, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: dockerRepo.url, ref: 'main' }),
    strategy: BuildStrategy.dockerfile({ from: base.tag('latest'), env: { GREETING: 'hello "world" $HOME \\' }, buildArgs: { VERSION: '1.2' } }),
    output: BuildOutput.imageStreamTag(foo.tag('latest'), { imageLabels: { team: 'seed' } }),
  });
  new BuildConfig(chart, 'multi-build', {
    name: 'multi',
    source: BuildSource.git({ uri: multiRepo.url }),
    strategy: BuildStrategy.dockerfile({ from: base.tag('latest'), stages: { build: `${registry.host}/mirror/stage-base:1` } }),
    output: BuildOutput.imageStreamTag(foo.tag('multi')),
  });
  new BuildConfig(chart, 'web-build', {
    name: 'web',
    source: BuildSource.git({ uri: nodeRepo.url }),
    strategy: BuildStrategy.sourceToImage({ builderImage: builder.tag('1') }),
    output: BuildOutput.imageStreamTag(web.tag('latest')),
  });
  new BuildConfig(chart, 'cnb-build', {
    name: 'cnb',
    source: BuildSource.git({ uri: nodeRepo.url }),
    strategy: BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400', env: { BP_NODE_VERSION: '20.*' } }),
    output: BuildOutput.imageStreamTag(web.tag('cnb')),
  });
  new BuildConfig(chart, 'inline-build', {
    name: 'inline',
    source: BuildSource.dockerfile(`FROM ${registry.host}/mirror/base:1\nRUN echo "it's inline" > /inline\n`),
    strategy: BuildStrategy.dockerfile(),
    output: BuildOutput.image(`${registry.host}/team/inline:1`, { insecure: true }),
  });
  // WHEN synthesized
  objects = Testing.synth(chart);
});
afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const emitted = <T>(kind: string, name?: string): T[] =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name)).map((o) => o.spec as T);
const emittedTasks = (): Record<string, TaskSpec> =>
  Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as unknown as TaskSpec]));

/** Runs the emitted Pipeline `name` as the controller would start it: only BASE_IMAGE and REVISION. */
async function runEmitted(name: string, params: Record<string, string>, env: Record<string, string> = {}, run = `${name}-1`) {
  const [pipeline] = emitted<PipelineSpec>('Pipeline', name);
  const source = mkdtempSync(path.join(dir, `${name}-source-`));
  chmodSync(source, 0o755);
  return runPipeline({ pipeline, tasks: emittedTasks(), params, workspaces: { source }, name: run, env });
}

describe('BuildConfig, built for real', () => {
  it('emits each distinct Task once for the four BuildConfigs of the namespace', () => {
    const taskNames = objects.filter((o) => o.kind === 'Task').map((o) => o.metadata.name.replace(/-[0-9a-f]{8}$/, ''));
    expect(taskNames.sort()).toEqual(['buildah-build', 'buildpacks', 'git-fetch', 'inline-dockerfile', 's2i-generate']);
    const refs = (name: string) => emitted<PipelineSpec>('Pipeline', name)[0].tasks.map((t) => t.taskRef!.name);
    expect(refs('foo')[0]).toBe(refs('web')[0]); // git-fetch
    expect(refs('foo')[1]).toBe(refs('web')[2]); // buildah-build
    expect(refs('inline')[1]).toBe(refs('foo')[1]);
    expect(refs('cnb')[0]).toBe(refs('foo')[0]);
  });

  it('Dockerfile strategy: builds FROM the stream\'s digest, and IMAGE_DIGEST is what the registry serves', async () => {
    // WHEN the foo Pipeline runs with the digest the base stream resolved to, at the first commit
    const result = await runEmitted('foo', { BASE_IMAGE: `${registry.host}/mirror/base@${baseDigest}`, REVISION: dockerRepo.commits.first });
    // THEN it pushed to the stream's repository in the System's registry and reported the served digest
    expect(result.message).toBeUndefined();
    expect(result.succeeded).toBe(true);
    expect(result.results.IMAGE_URL).toBe(`${registry.host}/seed/foo:latest`);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'seed/foo', 'latest'));
    expect(result.results.COMMIT).toBe(dockerRepo.commits.first);
    firstFooDigest = result.results.IMAGE_DIGEST;
    // AND the base was replaced, env and build args reached RUN, labels were set
    expect(await readFileFromImage(registry.host, 'seed/foo:latest', 'seen-base')).toBe('the-streamed-base\n');
    expect(await readFileFromImage(registry.host, 'seed/foo:latest', 'greeting')).toBe('hello "world" $HOME \\ 1.2\n');
    const labels = (await imageConfig(registry.host, 'seed/foo:latest')).config.Labels;
    expect(labels).toMatchObject({ team: 'seed', 'io.openshift.build.commit.id': dockerRepo.commits.first, 'io.openshift.build.source-location': dockerRepo.url });
  });

  it('Dockerfile strategy again, same commit and base: layers from the cache, the same digest (reproducible)', async () => {
    // WHEN foo is built a second time as the first, on fresh storage
    const result = await runEmitted('foo', { BASE_IMAGE: `${registry.host}/mirror/base@${baseDigest}`, REVISION: dockerRepo.commits.first });
    // THEN its layers came from the cache the first build pushed, and the image is the first one
    expect(result.message).toBeUndefined();
    expect(result.logs['build/build']).toContain(`--> Cache pulled from remote ${registry.host}/seed/foo/cache:`);
    // (the steps after `ARG VERSION` run again here: buildah 1.28, this machine's, looks ARG steps up in the
    // local storage only; 1.37, the step image's, pulls them from the cache too — and the digest is the same either way)
    expect(result.results.IMAGE_DIGEST).toBe(firstFooDigest);
    const labels = (await imageConfig(registry.host, 'seed/foo:latest')).config.Labels;
    expect(labels?.['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('provenance: labels say what the image is made of (no run in them); each run\'s SLSA statement is a referrer of the image', async () => {
    // GIVEN foo built twice at the first commit on the streamed base (the two tests above), the same digest
    const base = `${registry.host}/mirror/base@${baseDigest}`;
    const again = await runEmitted('foo', { BASE_IMAGE: base, REVISION: dockerRepo.commits.first }, {}, 'foo-3');
    expect(again.results.IMAGE_DIGEST).toBe(firstFooDigest);
    // THEN the image's labels name its BuildConfig, its commit and its base by digest
    expect(again.results.BASE_IMAGE).toBe(base);
    const labels = (await imageConfig(registry.host, 'seed/foo:latest')).config.Labels;
    expect(labels).toMatchObject({
      'io.imagestreams.buildconfig': 'seed/foo', 'io.openshift.build.commit.id': dockerRepo.commits.first,
      'org.opencontainers.image.base.name': `${registry.host}/mirror/base`, 'org.opencontainers.image.base.digest': baseDigest,
    });
    // AND the referrers tag of the image lists one in-toto statement per run, each with the image as subject
    const referrers = await referrersOf(registry.url, 'seed/foo', firstFooDigest);
    expect(referrers.map((r) => r.artifactType)).toEqual(['application/vnd.in-toto+json', 'application/vnd.in-toto+json', 'application/vnd.in-toto+json']);
    const statements = await Promise.all(referrers.map((r) => statementOf(registry.url, 'seed/foo', r.digest, firstFooDigest)));
    expect(statements.map((s) => s.predicate.runDetails.metadata.invocationId)).toEqual(['default/foo-1', 'default/foo-1', 'default/foo-3']);
    const last = statements[2];
    expect(last).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${registry.host}/seed/foo`, digest: { sha256: firstFooDigest.slice(7) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          externalParameters: { buildConfig: 'seed/foo', source: { url: dockerRepo.url, commit: dockerRepo.commits.first } },
          resolvedDependencies: [
            { uri: `git+${dockerRepo.url}`, digest: { gitCommit: dockerRepo.commits.first } },
            { uri: `oci://${registry.host}/mirror/base`, digest: { sha256: baseDigest.slice(7) } },
          ],
        },
      },
    });
    expect(Date.parse(last.predicate.runDetails.metadata.finishedOn)).toBeGreaterThanOrEqual(Date.parse(last.predicate.runDetails.metadata.startedOn));
  });

  it('multi-stage Dockerfile: `from` replaces the last FROM, `stages` the named stage\'s', async () => {
    // WHEN the multi Pipeline runs as the controller starts it: the base by digest, nothing else
    const result = await runEmitted('multi', { BASE_IMAGE: `${registry.host}/mirror/base@${baseDigest}`, REVISION: '' });
    // THEN the image stands on the streamed base, and its build stage ran on the stage's image
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'seed/foo', 'multi'));
    expect(await readFileFromImage(registry.host, 'seed/foo:multi', 'etc/base-marker')).toBe('the-streamed-base\n');
    expect(await readFileFromImage(registry.host, 'seed/foo:multi', 'built-on')).toBe('the-stage-base\n');
  });

  it('S2I strategy: the stream\'s builder digest assembles the sources', async () => {
    const result = await runEmitted('web', { BASE_IMAGE: `${registry.host}/mirror/node-builder@${builderDigest}`, REVISION: '' });
    expect(result.message).toBeUndefined();
    expect(result.succeeded).toBe(true);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'seed/web', 'latest'));
    expect(result.taskResults.generate.BUILDER_IMAGE).toBe(`${registry.host}/mirror/node-builder@${builderDigest}`);
    expect(await readFileFromImage(registry.host, 'seed/web:latest', 'app/hello.txt')).toBe('hello from s2i\n');
  });

  it('inline Dockerfile: written by a step, built as it is', async () => {
    const result = await runEmitted('inline', { BASE_IMAGE: '', REVISION: '' });
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'team/inline', '1'));
    expect(await readFileFromImage(registry.host, 'team/inline:1', 'inline')).toBe("it's inline\n");
  });

  it('Buildpacks strategy: the emitted Pipeline runs the lifecycle\'s phases on the clone (stubs here) and reports the export\'s digest', async () => {
    // GIVEN stand-ins for the lifecycle's phases: each records its arguments, the exporter writes report.toml
    const bin = path.join(dir, 'cnb-bin');
    const seen = path.join(dir, 'cnb-seen');
    mkdirSync(bin, { mode: 0o755 });
    mkdirSync(seen, { mode: 0o777 });
    chmodSync(seen, 0o777);
    const digest = `sha256:${'c0ffee00'.repeat(8)}`;
    const stub = [
      '#!/bin/sh',
      'phase="${0##*/}"',
      'echo "$phase" >> "$SEEN/order"',
      'printf "%s\\n" "$@" > "$SEEN/$phase.args"',
      'case "$phase" in',
      '  detector) ls "$CNB_APP_DIR" > "$SEEN/app"; cat "$CNB_PLATFORM_DIR/env/BP_NODE_VERSION" > "$SEEN/env";;',
      `  exporter) for a do case "$a" in -report=*) printf '[image]\\n  digest = "${digest}"\\n' > "\${a#-report=}";; esac; done;;`,
      'esac',
    ].join('\n');
    for (const phase of ['analyzer', 'detector', 'restorer', 'builder', 'exporter']) writeFileSync(path.join(bin, phase), stub, { mode: 0o755 });
    // The kubelet makes the Task's emptyDir volumes 0777; the step runner's mkdir follows the umask.
    const umask = process.umask(0);
    try {
      // WHEN the cnb Pipeline runs as the controller starts it
      const result = await runEmitted('cnb', { BASE_IMAGE: '', REVISION: '' }, { PATH: `${bin}:${process.env.PATH}`, SEEN: seen });
      // THEN the phases ran in the spec's order on the cloned sources with the env; the digest is the result
      expect(result.message).toBeUndefined();
      expect(result.results).toEqual({ IMAGE_DIGEST: digest, IMAGE_URL: `${registry.host}/seed/web:cnb`, COMMIT: nodeRepo.commits.first });
      expect(readFileSync(path.join(seen, 'order'), 'utf8')).toBe('analyzer\ndetector\nrestorer\nbuilder\nexporter\n');
      expect(readFileSync(path.join(seen, 'app'), 'utf8')).toBe('hello.txt\npackage.json\n');
      expect(readFileSync(path.join(seen, 'env'), 'utf8')).toBe('20.*');
      // AND analyze and export reach the System's insecure registry, as the spec's flag says, and push the stream's tag
      expect(readFileSync(path.join(seen, 'analyzer.args'), 'utf8')).toBe(`-insecure-registry=${registry.host}\n${registry.host}/seed/web:cnb\n`);
      const exportArgs = readFileSync(path.join(seen, 'exporter.args'), 'utf8').trim().split('\n');
      expect([exportArgs[0], exportArgs[2]]).toEqual([`-insecure-registry=${registry.host}`, `${registry.host}/seed/web:cnb`]);
    } finally {
      process.umask(umask);
    }
  });
});
