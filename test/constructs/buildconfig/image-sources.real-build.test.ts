import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, type ImageSourceOptions } from '../../../constructs/buildconfig';
import type { ParamValue, PipelineSpec, TaskSpec } from '../../../constructs/tekton';
import { pipelineRunFor, type RunOverrides } from '../../../lib/api/build-run';
import type { BuildConfigSpec } from '../../../lib/api/buildconfig';
import { run as exec } from '../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { makeGitRepo, pushBusyboxBase, pushS2IBuilder, readFileFromImage, servedDigest, writeFiles } from '../../support/tekton/build-fixtures';
import { runPipeline } from '../../support/tekton/run-pipeline';

/**
 * OpenShift's image sources, built for real: the app is synthesized, its runs are made by
 * pipelineRunFor (with IMAGE_SOURCES as the controller resolves a stream tag), and the emitted
 * Pipeline and Tasks run with real git, buildah and a real registry. The files come from an image
 * pushed to that registry, and from nowhere else.
 */

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

let registry: RunningRegistry;
let dir: string;
let base: string;
let libsDigest: string;

/** Pushes an image FROM the busybox base, made by `script` (RUN) over the context `files` (COPY . /ctx). */
async function pushImage(repoTag: string, files: Record<string, string>, script: string, to: { host: string; creds?: string } = registry): Promise<string> {
  const work = mkdtempSync(path.join(dir, 'image-'));
  const storage = ['--root', path.join(work, 'root'), '--runroot', path.join(work, 'runroot'), '--storage-driver', 'vfs'];
  await writeFiles(path.join(work, 'context'), { ...files, Dockerfile: `FROM ${base}\nCOPY . /ctx\nRUN ${script}\n` });
  await exec('buildah', [...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '-t', 'fixture', path.join(work, 'context')]);
  const digestFile = path.join(work, 'digest');
  const login = to.creds ? ['--creds', to.creds] : [];
  await exec('buildah', [...storage, 'push', '--tls-verify=false', ...login, '--digestfile', digestFile, 'fixture', `docker://${to.host}/${repoTag}`]);
  const digest = (await exec('cat', [digestFile])).trim();
  rmSync(work, { recursive: true, force: true });
  return digest;
}

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'image-sources-'));
  chmodSync(dir, 0o755);
  const digest = await pushBusyboxBase(registry.host, 'mirror/base:1', 'base');
  base = `${registry.host}/mirror/base@${digest}`;
  // tools: a directory, a Dockerfile with its context, and a link out of the image
  await pushImage('mirror/tools:1', { 'tool.txt': 'tool-v1\n', 'app.Dockerfile': 'FROM registry.invalid/nothing:1\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'hello from an image\n' }, [
    'mkdir -p /opt/tools /opt/app', 'cp /ctx/tool.txt /opt/tools/', 'cp /ctx/hello.txt /opt/app/', 'cp /ctx/app.Dockerfile /opt/app/Dockerfile', 'ln -s /etc /opt/link', 'rm -rf /ctx',
  ].join(' && '));
  // libs: a file only the image's user may read (0600 in a 0700 directory of uid 1001)
  libsDigest = await pushImage('mirror/libs:1', {}, [
    'mkdir -p /opt/private', 'echo private-v1 > /opt/private/key.txt', 'chown -R 1001:0 /opt/private', 'chmod 700 /opt/private', 'chmod 600 /opt/private/key.txt', 'rm -rf /ctx',
  ].join(' && '));
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

/** Synthesizes the chart and runs BuildConfig `name`'s Pipeline with the params of a run pipelineRunFor makes. */
async function buildOf(chart: Chart, name: string, overrides: Partial<RunOverrides> = {}, workspaces: Record<string, string> = {}) {
  const objects = Testing.synth(chart) as Obj[];
  const tasks = Object.fromEntries(objects.filter((o) => o.kind === 'Task').map((o) => [o.metadata.name, o.spec as unknown as TaskSpec]));
  const bc = objects.find((o) => o.kind === 'BuildConfig' && o.metadata.name === name)!;
  const made = pipelineRunFor({ ...bc, apiVersion: 'imagestreams.dev/v1alpha1', spec: bc.spec as unknown as BuildConfigSpec }, { type: 'Manual' }, { naming: { name: `${name}-1` }, ...overrides });
  const pipeline = objects.find((o) => o.kind === 'Pipeline' && o.metadata.name === made.spec.pipelineRef!.name)!.spec as unknown as PipelineSpec;
  const params: Record<string, ParamValue> = Object.fromEntries((made.spec.params ?? []).map((p) => [p.name, p.value as ParamValue]));
  const source = mkdtempSync(path.join(dir, `${name}-source-`));
  chmodSync(source, 0o755);
  return runPipeline({ pipeline, tasks, params, workspaces: { source, ...workspaces }, name: `${name}-1` });
}

/** The run succeeded; else the failed step's log, to say why. */
function succeeded(result: Awaited<ReturnType<typeof buildOf>>): void {
  expect(result.message, result.failedTask ? result.logs[`${result.failedTask}/${result.failedStep}`]?.slice(-2000) : '').toBeUndefined();
}

describe('source.images, built for real', () => {
  it('Docker: the Dockerfile COPYs files that only the images provide, a stream tag\'s by the digest the controller gives; the same build gives the same image', async () => {
    // GIVEN a repository whose Dockerfile COPYs files it does not have
    const repo = await makeGitRepo(path.join(dir, 'docker-repo'), {
      Dockerfile: 'FROM registry.invalid/nothing:1\nCOPY tools/ /tools/\nCOPY lib/private/key.txt /key.txt\nRUN cat /tools/tool.txt /key.txt > /seen\n',
    });
    // AND a BuildConfig whose image sources are an image by reference and a stream tag
    const chart = appChart('docker');
    const libs = new ImageStream(chart, 'libs');
    libs.importTag('latest', { from: `${registry.host}/mirror/libs:1`, insecure: true });
    const out = new ImageStream(chart, 'app');
    const images: ImageSourceOptions[] = [
      { from: `${registry.host}/mirror/tools:1`, paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'tools' }] },
      { from: libs.tag('latest'), paths: [{ sourcePath: '/opt/private', destinationDir: 'lib' }] },
    ];
    new BuildConfig(chart, 'app-build', {
      name: 'app', source: BuildSource.git({ uri: repo.url, images }), strategy: BuildStrategy.dockerfile({ from: base }), output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    // WHEN it builds with the stream tag resolved by digest, as the controller resolves it
    const resolved = { imageSources: { 1: `${registry.host}/mirror/libs@${libsDigest}` } };
    const result = await buildOf(chart, 'app', resolved);
    // THEN the image holds the files of both images, the one only the image's user could read included
    succeeded(result);
    expect(result.logs['images/copy']).toContain(`mirror/libs@${libsDigest}:/opt/private -> lib`);
    expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'docker/app', 'latest'));
    expect(await readFileFromImage(registry.host, 'docker/app:latest', 'tools/tool.txt')).toBe('tool-v1\n');
    expect(await readFileFromImage(registry.host, 'docker/app:latest', 'key.txt')).toBe('private-v1\n');
    expect(await readFileFromImage(registry.host, 'docker/app:latest', 'seen')).toBe('tool-v1\nprivate-v1\n');
    // AND the same commit and images give the same image
    const again = await buildOf(chart, 'app', resolved);
    expect(again.results.IMAGE_DIGEST).toBe(result.results.IMAGE_DIGEST);
    // AND a run without the stream tag's image fails, saying who resolves it
    const unresolved = await buildOf(chart, 'app');
    expect(unresolved.failedTask).toBe('images');
    expect(unresolved.logs['images/copy']).toContain('image source 1 has no image in param IMAGE_SOURCES: its stream tag is resolved by the controller for each build');
  });

  it("pulls an image source with its own pullSecret from a registry that wants it, and fails without it", async () => {
    // GIVEN a registry with basic auth, holding an image only its users may pull
    const privateRegistry = await startRegistry({ auth: 'htpasswd' });
    try {
      await pushImage('team/secret-files:1', {}, 'mkdir -p /opt && echo from-a-private-registry > /opt/private.txt && rm -rf /ctx', { host: privateRegistry.host, creds: 'alice:wonderland' });
      const repo = await makeGitRepo(path.join(dir, 'private-repo'), { Dockerfile: 'FROM registry.invalid/nothing:1\nCOPY private.txt /private.txt\n' });
      const chart = appChart('private');
      const out = new ImageStream(chart, 'app');
      new BuildConfig(chart, 'app-build', {
        name: 'app',
        source: BuildSource.git({ uri: repo.url, images: [{ from: `${privateRegistry.host}/team/secret-files:1`, paths: [{ sourcePath: '/opt/private.txt', destinationDir: '.' }], pullSecret: 'artifacts' }] }),
        strategy: BuildStrategy.dockerfile({ from: base }),
        output: BuildOutput.imageStreamTag(out.tag('latest')),
        registries: { [privateRegistry.host]: { insecure: true } },
      });
      // WHEN it builds with the Secret bound as the run binds it (images-pull-dockerconfig)
      const secret = mkdtempSync(path.join(dir, 'artifacts-'));
      const auth = Buffer.from('alice:wonderland').toString('base64');
      await writeFiles(secret, { '.dockerconfigjson': JSON.stringify({ auths: { [privateRegistry.host]: { auth } } }) });
      const result = await buildOf(chart, 'app', {}, { 'images-pull-dockerconfig': secret });
      // THEN the file is in the image
      succeeded(result);
      expect(await readFileFromImage(registry.host, 'private/app:latest', 'private.txt')).toBe('from-a-private-registry\n');
      // AND with a Secret of no use there, the copy fails before the build
      const wrong = mkdtempSync(path.join(dir, 'wrong-'));
      await writeFiles(wrong, { '.dockerconfigjson': JSON.stringify({ auths: {} }) });
      const refused = await buildOf(chart, 'app', {}, { 'images-pull-dockerconfig': wrong });
      expect(refused.failedTask).toBe('images');
      expect(refused.logs['images/copy']).toContain(`cannot pull image source 0, ${privateRegistry.host}/team/secret-files:1`);
    } finally {
      await privateRegistry.close();
    }
  });

  it('S2I: the files are among the sources assemble gets', async () => {
    await pushS2IBuilder(registry.host, 'mirror/s2i:1', base);
    const repo = await makeGitRepo(path.join(dir, 's2i-repo'), { 'package.json': '{}', 'hello.txt': 'hello from git\n' });
    const chart = appChart('s2i');
    const out = new ImageStream(chart, 'web');
    new BuildConfig(chart, 'web-build', {
      name: 'web',
      source: BuildSource.git({ uri: repo.url, images: [{ from: `${registry.host}/mirror/tools:1`, paths: [{ sourcePath: '/opt/tools/tool.txt', destinationDir: '.' }] }] }),
      strategy: BuildStrategy.sourceToImage({ builderImage: `${registry.host}/mirror/s2i:1` }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const result = await buildOf(chart, 'web', {});
    succeeded(result);
    // (assemble copies /tmp/src/*.txt to /app)
    expect(await readFileFromImage(registry.host, 's2i/web:latest', 'app/tool.txt')).toBe('tool-v1\n');
    expect(await readFileFromImage(registry.host, 's2i/web:latest', 'app/hello.txt')).toBe('hello from git\n');
  });

  it('a source of images only: the Dockerfile and its context come out of an image', async () => {
    const chart = appChart('only');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.image({ images: [{ from: `${registry.host}/mirror/tools:1`, paths: [{ sourcePath: '/opt/app/.', destinationDir: '.' }] }] }),
      strategy: BuildStrategy.dockerfile({ from: base }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const result = await buildOf(chart, 'app');
    succeeded(result);
    expect(await readFileFromImage(registry.host, 'only/app:latest', 'hello.txt')).toBe('hello from an image\n');
  });

  it('follows no symbolic link out of the image: the build fails, naming the link', async () => {
    const chart = appChart('link');
    const out = new ImageStream(chart, 'app');
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.image({ images: [{ from: `${registry.host}/mirror/tools:1`, paths: [{ sourcePath: '/opt/link/passwd', destinationDir: '.' }] }] }),
      strategy: BuildStrategy.dockerfile({ from: base }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const result = await buildOf(chart, 'app');
    expect(result.failedTask).toBe('images');
    expect(result.logs['images/copy']).toContain("image source 0: sourcePath '/opt/link/passwd': '/opt/link' is a symbolic link, which is not followed out of its image or sources: name the path it points to");
  });
});
