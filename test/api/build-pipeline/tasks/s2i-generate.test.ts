import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../../../constructs/tekton';
import { DEFAULT_S2I_BUILDERS, s2iGenerateTask } from '../../../../lib/api/build-pipeline/tasks';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';
import {
  commitFiles, imageConfig, makeGitRepo, pushBusyboxBase, pushS2IBuilder, readFileFromImage, servedDigest, writeFiles,
} from '../../../support/tekton/build-fixtures';
import { buildTasks, s2iPipeline } from '../../../support/tekton/build-pipelines';
import { runPipeline } from '../../../support/tekton/run-pipeline';

let dir: string;
let source: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 's2i-test-'));
  source = path.join(dir, 'source');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const generateOnly: PipelineSpec = {
  params: [
    { name: 'LANGUAGE', default: '' }, { name: 'BUILDER_IMAGE', default: '' },
    { name: 'SCRIPTS_URL', default: 'image:///usr/libexec/s2i' }, { name: 'CONTEXT', default: '.' },
  ],
  workspaces: [{ name: 'source' }],
  tasks: [{
    name: 'generate',
    taskRef: { name: 's2i-generate' },
    params: ['LANGUAGE', 'BUILDER_IMAGE', 'SCRIPTS_URL', 'CONTEXT'].map((name) => ({ name, value: `$(params.${name})` })),
    workspaces: [{ name: 'source', workspace: 'source' }],
  }],
};

async function generate(files: Record<string, string>, params: Record<string, string> = {}) {
  await writeFiles(source, files);
  return runPipeline({ pipeline: generateOnly, tasks: { 's2i-generate': s2iGenerateTask() }, params, workspaces: { source } });
}

describe('s2iGenerateTask', () => {
  it.each([
    [{ 'package.json': '{}' }, 'nodejs'],
    [{ 'pom.xml': '<project/>', 'package.json': '{}' }, 'java'],
    [{ 'requirements.txt': 'flask' }, 'python'],
    [{ 'go.mod': 'module x' }, 'go'],
    [{ Gemfile: "source 'https://rubygems.org'" }, 'ruby'],
    [{ 'composer.json': '{}' }, 'php'],
  ])('detects %j as %s and picks its default builder', async (files, language) => {
    // GIVEN sources with marker files WHEN generated THEN language and builder are reported
    const result = await generate(files);
    expect(result.taskResults.generate).toEqual({
      CONTEXT: '.imagestreams-s2i', DOCKERFILE: 'Dockerfile', LANGUAGE: language, BUILDER_IMAGE: DEFAULT_S2I_BUILDERS[language],
    });
  });

  it('writes the Dockerfile S2I would, with sources but not .git in the upload', async () => {
    // GIVEN node sources, a dotfile and a .git directory, and a custom scripts location
    const result = await generate(
      { 'package.json': '{}', '.npmrc': 'x', '.git/HEAD': 'ref', 'src/index.js': '' },
      { BUILDER_IMAGE: 'example.com/node-builder:1', SCRIPTS_URL: 'image:///opt/s2i' },
    );
    // THEN the Dockerfile follows `s2i build --as-dockerfile`
    expect(result.succeeded).toBe(true);
    const out = path.join(source, '.imagestreams-s2i');
    expect(readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toBe([
      'FROM example.com/node-builder:1',
      'LABEL io.openshift.s2i.build.image="example.com/node-builder:1" io.imagestreams.s2i.language="nodejs"',
      'USER root',
      'COPY upload/src /tmp/src',
      'RUN chown -R 1001:0 /tmp/src',
      'USER 1001',
      'RUN /opt/s2i/assemble',
      'CMD /opt/s2i/run',
      '',
    ].join('\n'));
    expect(existsSync(path.join(out, 'upload/src/.npmrc'))).toBe(true);
    expect(existsSync(path.join(out, 'upload/src/src/index.js'))).toBe(true);
    expect(existsSync(path.join(out, 'upload/src/.git'))).toBe(false);
  });

  it('fails clearly when no language can be detected', async () => {
    const result = await generate({ 'README.md': 'hi' });
    expect(result.logs['generate/generate']).toBe(
      "s2i-generate: cannot detect the language of '.' (no pom.xml, go.mod, requirements.txt, Gemfile, composer.json, package.json ...): set param LANGUAGE or BUILDER_IMAGE\n",
    );
  });

  it('fails clearly when the language has no builder image', async () => {
    const result = await generate({ 'main.cob': '' }, { LANGUAGE: 'cobol' });
    expect(result.logs['generate/generate']).toBe(
      "s2i-generate: no builder image for language 'cobol' in param BUILDER_IMAGES: add 'cobol=<image>' or set param BUILDER_IMAGE\n",
    );
  });

  it('rejects a scripts URL it cannot read', async () => {
    const result = await generate({ 'package.json': '{}' }, { SCRIPTS_URL: 'https://example.com/s2i' });
    expect(result.logs['generate/generate']).toBe(
      "s2i-generate: param SCRIPTS_URL 'https://example.com/s2i' is not supported: use image:///path/in/builder\n",
    );
  });

  describe('building with a real builder image', () => {
    let registry: RunningRegistry;
    beforeAll(async () => {
      registry = await startRegistry();
      await pushBusyboxBase(registry.host, 'base:1', 'base');
      await pushS2IBuilder(registry.host, 'node-builder:1', `${registry.host}/base:1`);
    });
    afterAll(async () => registry.close());

    it('detects the language, runs the builder\'s assemble as its user and sets its run script', async () => {
      // GIVEN a node repository and a map that points nodejs at the test builder
      const repo = await makeGitRepo(path.join(dir, 'repo'), { 'package.json': '{}', 'hello.txt': 'hello from s2i\n' });
      // WHEN the S2I pipeline runs
      const result = await runPipeline({
        pipeline: s2iPipeline(),
        tasks: buildTasks(),
        params: {
          URL: repo.url, IMAGE: `${registry.host}/app:latest`, INSECURE_REGISTRIES: [registry.host],
          BUILDER_IMAGES: ['java=example.com/unused:1', `nodejs=${registry.host}/node-builder:1`],
        },
        workspaces: { source },
      });
      // THEN assemble ran as 1001 over the sources, and the image runs the run script
      expect(result.succeeded).toBe(true);
      expect(result.taskResults.generate.LANGUAGE).toBe('nodejs');
      expect(result.results.IMAGE_DIGEST).toBe(await servedDigest(registry.url, 'app', 'latest'));
      expect(await readFileFromImage(registry.host, 'app:latest', 'app/hello.txt')).toBe('hello from s2i\n');
      expect(await readFileFromImage(registry.host, 'app:latest', 'app/assembled-by')).toBe('1001\n');
      const config = await imageConfig(registry.host, 'app:latest');
      expect(config.config.Cmd).toEqual(['/bin/sh', '-c', '/usr/libexec/s2i/run']);
      expect(config.config.Labels?.['io.imagestreams.s2i.language']).toBe('nodejs');
    });

    const s2iBuild = (repo: string, image: string, builder: string, extra: Record<string, string> = {}, workspace = source) => runPipeline({
      pipeline: s2iPipeline(),
      tasks: buildTasks(),
      params: { URL: repo, IMAGE: `${registry.host}/${image}`, INSECURE_REGISTRIES: [registry.host], BUILDER_IMAGES: [`nodejs=${registry.host}/${builder}`], ...extra },
      workspaces: { source: workspace },
    });

    it('finds assemble and run where the builder\'s io.openshift.s2i.scripts-url label says', async () => {
      // GIVEN a builder whose scripts are in /opt/app-root/s2i, which its label names (nothing in /usr/libexec/s2i)
      await pushS2IBuilder(registry.host, 'labelled-builder:1', `${registry.host}/base:1`, '/opt/app-root/s2i', 'image:///opt/app-root/s2i');
      const repo = await makeGitRepo(path.join(dir, 'repo'), { 'package.json': '{}', 'hello.txt': 'hello\n' });
      // WHEN the S2I pipeline runs with it
      const result = await s2iBuild(repo.url, 'labelled:latest', 'labelled-builder:1');
      // THEN assemble ran from there, and the image's run script is there
      expect(result.message).toBeUndefined();
      expect(result.logs['build/build']).toContain('buildah-build: S2I scripts from /opt/app-root/s2i');
      expect(await readFileFromImage(registry.host, 'labelled:latest', 'app/hello.txt')).toBe('hello\n');
      expect((await imageConfig(registry.host, 'labelled:latest')).config.Cmd).toEqual(['/bin/sh', '-c', '/opt/app-root/s2i/run']);
    });

    it('fails with the label\'s value when the builder keeps its scripts at a URL a build cannot read', async () => {
      await pushS2IBuilder(registry.host, 'remote-builder:1', `${registry.host}/base:1`, '/usr/libexec/s2i', 'https://example.com/s2i');
      const repo = await makeGitRepo(path.join(dir, 'repo'), { 'package.json': '{}', 'hello.txt': 'hello\n' });
      const result = await s2iBuild(repo.url, 'remote:latest', 'remote-builder:1');
      expect(result.failedStep).toBe('build');
      expect(result.logs['build/build']).toContain(
        `buildah-build: S2I: the builder ${registry.host}/remote-builder:1 says its scripts are at 'https://example.com/s2i' (label io.openshift.s2i.scripts-url): only image:///path is supported; set the strategy's scripts to image:///path/in/builder`,
      );
    });

    it('incremental: the second build restores what save-artifacts kept from the first; the first is a full build', async () => {
      // GIVEN a builder with save-artifacts and an app built incrementally for the first time
      const repo = await makeGitRepo(path.join(dir, 'repo'), { 'package.json': '{}', 'hello.txt': 'v1\n' });
      const first = await s2iBuild(repo.url, 'inc:latest', 'node-builder:1', { INCREMENTAL: 'true' });
      expect(first.message).toBeUndefined();
      expect(first.logs['build/build']).toContain(`buildah-build: incremental: no previous image ${registry.host}/inc:latest to take artifacts from`);
      const deps = await readFileFromImage(registry.host, 'inc:latest', 'app/deps');
      // WHEN the sources change and it is built again
      await commitFiles(repo, 'v2', { 'hello.txt': 'v2\n' });
      const second = await s2iBuild(repo.url, 'inc:latest', 'node-builder:1', { INCREMENTAL: 'true' }, path.join(dir, 'source2'));
      // THEN assemble found the first image's artifacts and reused them, over the new sources
      expect(second.message).toBeUndefined();
      expect(second.logs['build/build']).toContain(`buildah-build: incremental: restoring the artifacts of ${registry.host}/inc@${first.results.IMAGE_DIGEST}`);
      expect(await readFileFromImage(registry.host, 'inc:latest', 'app/hello.txt')).toBe('v2\n');
      expect(await readFileFromImage(registry.host, 'inc:latest', 'app/restored')).toBe('yes\n');
      expect(await readFileFromImage(registry.host, 'inc:latest', 'app/deps')).toBe(deps);
      // AND without incremental, the same change makes the dependencies anew
      await commitFiles(repo, 'v3', { 'hello.txt': 'v3\n' });
      const full = await s2iBuild(repo.url, 'inc:latest', 'node-builder:1', {}, path.join(dir, 'source3'));
      expect(full.logs['build/build']).not.toContain('incremental');
      expect(await readFileFromImage(registry.host, 'inc:latest', 'app/deps')).not.toBe(deps);
    });
  });
});
