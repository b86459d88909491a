import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';
import type { ParamValue, PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import type { PipelineRun } from '../../../lib/api/pipeline-run';
import { manualRun } from '../../../lib/cli/builds/manual-run';
import { buildContextRepository, sourcesLayer, uploadSources } from '../../../lib/cli/builds/upload-sources';
import type { BuildConfigResource } from '../../../lib/cli/builds/resources';
import { run as exec } from '../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import {
  commitFiles, imageConfig, makeGitRepo, pushBusyboxBase, readFileFromImage, servedDigest, writeFiles, type GitRepo,
} from '../../support/tekton/build-fixtures';
import { runPipeline, type RunPipelineOptions } from '../../support/tekton/run-pipeline';

/**
 * OpenShift's build inputs, built for real: the app is synthesized, its runs are made by the run
 * maker every build goes through (pipelineRunFor, here by way of start-build's manualRun), and the
 * emitted Pipeline and Tasks run with real git, buildah and a real registry.
 */

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

let registry: RunningRegistry;
let dir: string;
let base: string;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'build-inputs-'));
  chmodSync(dir, 0o755);
  const digest = await pushBusyboxBase(registry.host, 'mirror/base:1', 'base');
  base = `${registry.host}/mirror/base@${digest}`;
});
afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A chart in namespace `ns` whose System's registry is the test registry. */
function appChart(ns: string): Chart {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: registry.host, insecure: true }) });
  return new Chart(app, ns, { namespace: ns });
}

/** The synthesized objects of a chart, and ways to run its BuildConfigs as the cluster would. */
function synthesized(chart: Chart) {
  const objects = Testing.synth(chart) as Obj[];
  const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as unknown as TaskSpec]));
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  return {
    objects,
    buildConfig: (name: string) => ({ ...find('BuildConfig', name), metadata: { ...find('BuildConfig', name).metadata, uid: 'uid' } }) as unknown as BuildConfigResource,
    /** Runs the emitted Pipeline with a run's params (and BASE_IMAGE as the controller sets it). */
    async run(made: PipelineRun, workspaces: Record<string, string> = {}, extra: Partial<RunPipelineOptions> = {}) {
      const name = made.spec.pipelineRef!.name;
      const source = mkdtempSync(path.join(dir, `${name}-source-`));
      chmodSync(source, 0o755);
      const params: Record<string, ParamValue> = Object.fromEntries((made.spec.params ?? []).map((p) => [p.name, p.value as ParamValue]));
      return runPipeline({
        pipeline: find('Pipeline', name).spec as unknown as PipelineSpec, tasks, params: { BASE_IMAGE: base, ...params },
        workspaces: { source, ...workspaces }, name: `${name}-1`, ...extra,
      });
    },
  };
}

describe('start-build --env / --build-arg / --commit: one run\'s own values, over the BuildConfig\'s', () => {
  let repo: GitRepo;
  beforeAll(async () => {
    repo = await makeGitRepo(path.join(dir, 'overrides-repo'), {
      Dockerfile: 'FROM registry.invalid/nothing:1\nARG A\nARG B\nCOPY version /version\nRUN echo "A=$A B=$B E=$E F=$F" > /seen\n',
      version: 'one\n',
    });
    await commitFiles(repo, 'second', { version: 'two\n' });
  });

  it('the run builds the commit given, with its env and build args winning over the BuildConfig\'s, and the others kept', async () => {
    // GIVEN a BuildConfig with its own env and build args, on the branch (whose head is the second commit)
    const chart = appChart('over');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.git({ uri: repo.url, ref: 'main' }),
      strategy: BuildStrategy.dockerfile({ from: base, env: { E: 'bc-e', F: 'bc-f' }, buildArgs: { A: 'bc-a', B: 'bc-b' } }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const app = synthesized(chart);
    // WHEN start-build makes a run of the first commit with its own E (with a $) and A
    const made = manualRun(app.buildConfig('app'), { commit: repo.commits.first, env: { E: 'run $HOME $(date)' }, buildArgs: { A: 'run-a' } });
    const result = await app.run(made);
    // THEN the first commit was built, the run's values won, the BuildConfig's others stayed
    expect(result.message).toBeUndefined();
    expect(result.results.COMMIT).toBe(repo.commits.first);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'over/app', 'latest'));
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'version')).toBe('one\n');
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'seen')).toBe('A=run-a B=bc-b E=run $HOME $(date) F=bc-f\n');
    expect((await imageConfig(registry.host, 'over/app:latest')).config.Env).toEqual(expect.arrayContaining(['E=run $HOME $(date)', 'F=bc-f']));

    // WHEN a run without overrides follows (as the controller or a webhook makes it)
    const plain = await app.run(manualRun(app.buildConfig('app')));
    // THEN it builds the branch's head with the BuildConfig's values only: nothing of the earlier run stays
    expect(plain.message).toBeUndefined();
    expect(plain.results.COMMIT).toBe(repo.commits.second);
    expect(await readFileFromImage(registry.host, 'over/app:latest', 'seen')).toBe('A=bc-a B=bc-b E=bc-e F=bc-f\n');
  });
});


/** Every blob of the pushed image (config and each layer, layers decompressed), as the registry serves them. */
async function everyBlob(repoTag: string): Promise<Buffer[]> {
  const layout = mkdtempSync(path.join(dir, 'blobs-'));
  await exec('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry.host}/${repoTag}`, `oci:${layout}:image`]);
  const blobs = path.join(layout, 'blobs', 'sha256');
  return readdirSync(blobs).map((name) => {
    const blob = readFileSync(path.join(blobs, name));
    return blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob;
  });
}

describe("source.secrets and source.configMaps: in every RUN, in no layer; a Secret's keys as RUN --mount=type=secret", () => {
  const TOKEN = 'token-8c1f0e-never-in-a-layer';
  const NPMRC = 'npmrc-77d2aa-never-in-a-layer';
  const SETTINGS = '<settings>cm-41be09-never-in-a-layer</settings>';
  let repo: GitRepo;
  let app: ReturnType<typeof synthesized>;
  beforeAll(async () => {
    // The whole context is copied into the image: were the inputs in it, COPY would take them.
    repo = await makeGitRepo(path.join(dir, 'inputs-repo'), {
      Dockerfile: [
        'FROM registry.invalid/nothing:1',
        'COPY . /app',
        'RUN wc -c < /run/build/token > /token-length && ls /run/build > /listing && wc -c < /etc/maven/settings.xml > /settings-length',
        'RUN --mount=type=secret,id=npmrc wc -c < /run/secrets/npmrc > /npmrc-length',
      ].join('\n'),
      'main.txt': 'app\n',
    });
    const chart = appChart('inputs');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.git({
        uri: repo.url, secrets: [{ secret: 'build-token', destinationDir: 'run/build' }], configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven/' }],
      }),
      strategy: BuildStrategy.dockerfile({ from: base }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    app = synthesized(chart);
  });

  it("records OpenShift's fields in the spec and binds each by name to the build step alone", () => {
    const bc = app.buildConfig('app');
    expect(bc.spec.source).toMatchObject({
      secrets: [{ secret: { name: 'build-token' }, destinationDir: 'run/build' }],
      configMaps: [{ configMap: { name: 'maven' }, destinationDir: 'etc/maven' }],
    });
    expect(bc.spec.workspaces).toEqual(expect.arrayContaining([
      { name: 'build-input-0', secret: { secretName: 'build-token' } }, { name: 'build-input-1', configMap: { name: 'maven' } },
    ]));
    const pipeline = app.objects.find((o) => o.kind === 'Pipeline')!.spec as unknown as PipelineSpec;
    const binds = pipeline.tasks.filter((t) => t.workspaces?.some((w) => w.workspace.startsWith('build-input-'))).map((t) => t.name);
    expect(binds).toEqual(['build']);
    const task = Object.values(app.objects.filter((o) => o.kind === 'Task')).map((o) => o.spec as unknown as TaskSpec).find((t) => t.steps.some((st) => st.name === 'push'))!;
    const stepsSeeing = task.steps.filter((st) => st.workspaces?.some((w) => w.name.startsWith('build-input-'))).map((st) => st.name);
    expect(stepsSeeing).toEqual(['build']);
  });

  it('RUN reads them, RUN --mount=type=secret reads a key, and no blob of the pushed image holds a byte of them', async () => {
    // GIVEN the Secret and the ConfigMap as the kubelet would mount them
    const secret = mkdtempSync(path.join(dir, 'secret-'));
    await writeFiles(secret, { token: TOKEN, npmrc: NPMRC });
    const configMap = mkdtempSync(path.join(dir, 'configmap-'));
    await writeFiles(configMap, { 'settings.xml': SETTINGS });
    // WHEN the BuildConfig's run builds
    const result = await app.run(manualRun(app.buildConfig('app')), { 'build-input-0': secret, 'build-input-1': configMap });
    // THEN the RUN instructions saw them
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'inputs/app', 'latest'));
    expect(await readFileFromImage(registry.host, 'inputs/app:latest', 'token-length')).toBe(`${TOKEN.length}\n`);
    expect(await readFileFromImage(registry.host, 'inputs/app:latest', 'listing')).toBe('npmrc\ntoken\n');
    expect(await readFileFromImage(registry.host, 'inputs/app:latest', 'settings-length')).toBe(`${SETTINGS.length}\n`);
    expect(await readFileFromImage(registry.host, 'inputs/app:latest', 'npmrc-length')).toBe(`${NPMRC.length}\n`);
    expect(await readFileFromImage(registry.host, 'inputs/app:latest', 'app/main.txt')).toBe('app\n');
    // AND no layer, nor the config, holds their contents or their file names' data
    const blobs = await everyBlob('inputs/app:latest');
    expect(blobs.length).toBeGreaterThan(3);
    for (const needle of [TOKEN, NPMRC, SETTINGS]) expect(blobs.filter((b) => b.includes(needle))).toHaveLength(0);
    // (the check can see: the base's marker is in a layer)
    expect(blobs.filter((b) => b.includes('base\n'))).not.toHaveLength(0);
  });

  it("is refused as Tekton refuses it when a run doesn't bind a Secret of the source", async () => {
    const configMap = mkdtempSync(path.join(dir, 'configmap-'));
    await expect(app.run(manualRun(app.buildConfig('app')), { 'build-input-1': configMap })).rejects.toThrow('pipeline workspace "build-input-0" is not bound');
  });
});

describe('postCommit: run in the built image before the push; a failure fails the build and nothing is pushed', () => {
  let app: ReturnType<typeof synthesized>;
  beforeAll(async () => {
    const repo = await makeGitRepo(path.join(dir, 'hook-repo'), {
      Dockerfile: 'FROM registry.invalid/nothing:1\nENV GREETING=hello\nCOPY test.sh /test.sh\nRUN chmod 755 /test.sh\n',
      'test.sh': '#!/bin/sh\necho "testing: $GREETING $*"\n[ "$1" = pass ]\n',
    });
    const chart = appChart('hooks');
    const out = new ImageStream(chart, 'app');
    const common = { source: BuildSource.git({ uri: repo.url }), strategy: BuildStrategy.dockerfile({ from: base }) };
    new BuildConfig(chart, 'good', { ...common, name: 'good', output: BuildOutput.imageStreamTag(out.tag('good')), postCommit: { script: '/test.sh "$@" && test -f /test.sh', args: ['pass', '$(date)'] } });
    new BuildConfig(chart, 'bad', { ...common, name: 'bad', output: BuildOutput.imageStreamTag(out.tag('bad')), postCommit: { command: ['/test.sh'], args: ['fail'] } });
    app = synthesized(chart);
  });

  it("records OpenShift's postCommit in the spec", () => {
    expect(app.buildConfig('good').spec.postCommit).toEqual({ script: '/test.sh "$@" && test -f /test.sh', args: ['pass', '$(date)'] });
    expect(app.buildConfig('bad').spec.postCommit).toEqual({ command: ['/test.sh'], args: ['fail'] });
  });

  it('a hook that succeeds ran in the image (its env, its files, the args as written), and the image is pushed', async () => {
    const result = await app.run(manualRun(app.buildConfig('good')));
    expect(result.message).toBeUndefined();
    expect(result.logs['build/build']).toContain('testing: hello pass $(date)\n');
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'hooks/app', 'good'));
  });

  it('a hook that fails fails the build step with its exit code, and the registry has no such tag', async () => {
    const result = await app.run(manualRun(app.buildConfig('bad')));
    expect(result.succeeded).toBe(false);
    expect(result.failedStep).toBe('build');
    expect(result.logs['build/build']).toContain('testing: hello fail\n');
    expect(result.logs['build/build']).toContain('buildah-build: postCommit failed (exit 1): the image is not pushed');
    expect(result.logs['build/push']).toBeUndefined();
    await expect(servedDigest(registry.url, 'hooks/app', 'bad')).rejects.toThrow('HEAD hooks/app:bad answered 404');
  });
});

describe('Binary builds: start-build --from-dir/--from-file/--from-archive upload the sources to the registry, the build unpacks them', () => {
  let app: ReturnType<typeof synthesized>;
  let sources: string;
  beforeAll(async () => {
    const chart = appChart('bin');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', { name: 'app', source: BuildSource.binary({ contextDir: 'app' }), strategy: BuildStrategy.dockerfile({ from: base }), output: BuildOutput.imageStreamTag(out.tag('latest')) });
    new BuildConfig(chart, 'jar-build', {
      name: 'jar',
      source: BuildSource.binary({ asFile: 'app.jar' }),
      strategy: BuildStrategy.dockerfile({ from: base }),
      output: BuildOutput.imageStreamTag(out.tag('jar')),
    });
    app = synthesized(chart);
    sources = mkdtempSync(path.join(dir, 'uploaded-'));
    const long = `${'deep/'.repeat(25)}file.txt`;
    await writeFiles(sources, {
      'app/Dockerfile': 'FROM registry.invalid/nothing:1\nCOPY . /src\nRUN cat /src/hello.txt > /hello\n',
      'app/hello.txt': 'uploaded, not committed\n',
      [`app/${long}`]: 'a long path\n',
      'elsewhere.txt': 'outside the context\n',
    });
  });

  it('the spec says Binary (OpenShift), no trigger starts it, and its fetch task unpacks SOURCE_ARCHIVE', () => {
    const bc = app.buildConfig('app');
    expect(bc.spec.source).toEqual({ type: 'Binary', binary: {}, contextDir: 'app' });
    expect(bc.spec.triggers).toEqual([]);
    expect(app.buildConfig('jar').spec.source).toEqual({ type: 'Binary', binary: { asFile: 'app.jar' } });
    const run = manualRun(bc, { sourceArchive: `${registry.host}/bin/app/build-context@sha256:${'0'.repeat(64)}` });
    expect(run.spec.params).toEqual([{ name: 'SOURCE_ARCHIVE', value: `${registry.host}/bin/app/build-context@sha256:${'0'.repeat(64)}` }, { name: 'CONTEXT_DIR', value: 'app' }]);
  });

  it('--from-dir: the directory is uploaded (the same digest every time) and built, its context dir as the spec says', async () => {
    const layer = sourcesLayer({ dir: sources });
    const repository = buildContextRepository(`${registry.host}/bin/app:latest`);
    const uploaded = await uploadSources(repository, layer, { insecure: true });
    expect(uploaded).toMatch(new RegExp(`^${registry.host}/bin/app/build-context@sha256:[0-9a-f]{64}$`));
    expect(await uploadSources(repository, sourcesLayer({ dir: sources }), { insecure: true })).toBe(uploaded);
    const result = await app.run(manualRun(app.buildConfig('app'), { sourceArchive: uploaded }));
    expect(result.message).toBeUndefined();
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'bin/app', 'latest'));
    expect(await readFileFromImage(registry.host, 'bin/app:latest', 'hello')).toBe('uploaded, not committed\n');
    expect(await readFileFromImage(registry.host, 'bin/app:latest', `src/${'deep/'.repeat(25)}file.txt`)).toBe('a long path\n');
  });

  it('--from-archive: a tar.gz made by tar is built as it is', async () => {
    const archive = path.join(dir, 'sources.tar.gz');
    await exec('tar', ['-czf', archive, '-C', sources, '.']);
    const uploaded = await uploadSources(buildContextRepository(`${registry.host}/bin/app:latest`), sourcesLayer({ archive }), { insecure: true });
    const result = await app.run(manualRun(app.buildConfig('app'), { sourceArchive: uploaded }));
    expect(result.message).toBeUndefined();
    expect(await readFileFromImage(registry.host, 'bin/app:latest', 'hello')).toBe('uploaded, not committed\n');
    expect(() => sourcesLayer({ archive: path.join(sources, 'elsewhere.txt') })).toThrowError(
      `--from-archive ${path.join(sources, 'elsewhere.txt')} is not a tar archive (plain or gzip-compressed): make one with tar -czf sources.tar.gz -C DIR .`,
    );
  });

  it('--from-file: the context is that one file (under its asFile name): with no Dockerfile in it, the Docker build says so', async () => {
    const jar = path.join(dir, 'build-7.jar');
    await writeFiles(dir, { 'build-7.jar': 'PK-not-really\n' });
    const uploaded = await uploadSources(buildContextRepository(`${registry.host}/bin/app:jar`), sourcesLayer({ file: jar, asFile: 'app.jar' }), { insecure: true });
    const result = await app.run(manualRun(app.buildConfig('jar'), { sourceArchive: uploaded }));
    // the context holds app.jar alone: the Docker strategy finds no Dockerfile there
    expect(result.succeeded).toBe(false);
    expect(result.logs['build/build']).toContain("param DOCKERFILE 'Dockerfile' not found in context '.'");
    expect(result.logs['fetch/unpack']).toContain('(1 files)');
  });

  it('a run without uploaded sources fails saying how to start it', async () => {
    const result = await app.run(manualRun(app.buildConfig('app')));
    expect(result.succeeded).toBe(false);
    expect(result.logs['fetch/unpack']).toContain('param SOURCE_ARCHIVE is empty: this BuildConfig builds uploaded sources; start it with imagestreams start-build NAME --from-dir DIR (or --from-file, --from-archive)');
  });
});

describe('S2I: assemble reads the source\'s ConfigMap and Secret at /<destinationDir>; the image keeps none of them', () => {
  const SETTINGS = '<settings>s2i-5d1e-never-in-a-layer</settings>';
  it('builds with a builder whose assemble reads them, as the builder\'s user', async () => {
    // GIVEN a builder image whose assemble uses /etc/maven/settings.xml and /run/token/token, as a Maven build would
    const context = mkdtempSync(path.join(dir, 's2i-builder-'));
    await writeFiles(context, {
      Dockerfile: `FROM ${base}\nCOPY assemble run /usr/libexec/s2i/\nRUN chmod 755 /usr/libexec/s2i/assemble /usr/libexec/s2i/run && mkdir -p /app && chown 1001:0 /app\nUSER 1001\n`,
      assemble: '#!/bin/sh\nset -e\nwc -c < /etc/maven/settings.xml > /app/settings-length\nwc -c < /run/token/token > /app/token-length\ncp /tmp/src/*.txt /app/\n',
      run: '#!/bin/sh\ncat /app/*.txt\n',
    });
    const storage = ['--root', path.join(context, 'root'), '--runroot', path.join(context, 'runroot'), '--storage-driver', 'vfs'];
    await exec('buildah', [...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '-t', 'builder', context]);
    await exec('buildah', [...storage, 'push', '--tls-verify=false', 'builder', `docker://${registry.host}/mirror/maven-builder:1`]);
    const repo = await makeGitRepo(path.join(dir, 's2i-inputs-repo'), { 'pom.xml': '<project/>\n', 'hello.txt': 'hello\n' });
    const chart = appChart('s2i');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.git({ uri: repo.url, configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven' }], secrets: [{ secret: 'token', destinationDir: 'run/token' }] }),
      strategy: BuildStrategy.sourceToImage({ builderImage: `${registry.host}/mirror/maven-builder:1` }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const s2i = synthesized(chart);
    const configMap = mkdtempSync(path.join(dir, 'configmap-'));
    await writeFiles(configMap, { 'settings.xml': SETTINGS });
    const secret = mkdtempSync(path.join(dir, 'secret-'));
    await writeFiles(secret, { token: 'tok-9a7c' });
    chmodSync(configMap, 0o755);
    chmodSync(secret, 0o755);
    // WHEN it builds
    const made = manualRun(s2i.buildConfig('app'));
    const withBuilder = { ...made, spec: { ...made.spec, params: [...made.spec.params ?? [], { name: 'BASE_IMAGE', value: `${registry.host}/mirror/maven-builder:1` }] } };
    const result = await s2i.run(withBuilder, { 'build-input-0': secret, 'build-input-1': configMap });
    // THEN assemble read them, and no blob holds them
    expect(result.message).toBeUndefined();
    expect(await readFileFromImage(registry.host, 's2i/app:latest', 'app/settings-length')).toBe(`${SETTINGS.length}\n`);
    expect(await readFileFromImage(registry.host, 's2i/app:latest', 'app/token-length')).toBe('8\n');
    const blobs = await everyBlob('s2i/app:latest');
    expect(blobs.filter((b) => b.includes(SETTINGS) || b.includes('tok-9a7c'))).toHaveLength(0);
  });
});
