import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParamValue, PipelineSpec } from '../../../../constructs/tekton';
import { imageSourcePathItem, imageSourcesTask } from '../../../../lib/api/build-pipeline/tasks/image-sources';
import { run as exec } from '../../../support/registry/exec';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';
import { pushBusyboxBase, writeFiles } from '../../../support/tekton/build-fixtures';
import { runPipeline } from '../../../support/tekton/run-pipeline';

/** The image-sources Task alone, run by the step runner against a real registry. */

let registry: RunningRegistry;
let dir: string;
let image: string;
const ODD = '/opt/odd/a=b $HOME.txt';

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(os.tmpdir(), 'image-sources-task-'));
  await pushBusyboxBase(registry.host, 'mirror/base:1', 'base');
  // An image with a Dockerfile of its own and a file whose name has '=', a blank and a '$'.
  const work = mkdtempSync(path.join(dir, 'image-'));
  const storage = ['--root', path.join(work, 'root'), '--runroot', path.join(work, 'runroot'), '--storage-driver', 'vfs'];
  await writeFiles(path.join(work, 'ctx'), { Dockerfile: `FROM ${registry.host}/mirror/base:1\nRUN mkdir -p /opt/odd /opt/app && echo odd > '${ODD}' && echo 'FROM from-the-image' > /opt/app/Dockerfile\n` });
  await exec('buildah', [...storage, 'bud', '--isolation', 'chroot', '--tls-verify=false', '-t', 'x', path.join(work, 'ctx')]);
  await exec('buildah', [...storage, 'push', '--tls-verify=false', 'x', `docker://${registry.host}/team/files:1`]);
  image = `${registry.host}/team/files:1`;
});
afterAll(async () => {
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pipeline = (params: string[]): PipelineSpec => ({
  params: params.map((name) => ({ name, type: ['IMAGE_SOURCES', 'IMAGE_SOURCE_PATHS', 'OWN_PULL_SECRET'].includes(name) ? 'array' as const : 'string' as const })),
  workspaces: [{ name: 'source' }],
  tasks: [{
    name: 'images', taskRef: { name: 'image-sources' },
    params: [
      ...params.map((name) => ({ name, value: ['IMAGE_SOURCES', 'IMAGE_SOURCE_PATHS', 'OWN_PULL_SECRET'].includes(name) ? [`$(params.${name}[*])`] : `$(params.${name})` })),
      { name: 'INSECURE_REGISTRIES', value: [registry.host] },
    ],
    workspaces: [{ name: 'source', workspace: 'source' }],
  }],
});

async function copy(params: Record<string, ParamValue>, source: string) {
  return runPipeline({ pipeline: pipeline(Object.keys(params)), tasks: { 'image-sources': imageSourcesTask() }, params, workspaces: { source } });
}

describe('imageSourcesTask', () => {
  it('copies a path whose name has =, a blank and $ as written; an inline Dockerfile (KEEP) wins over the image\'s', async () => {
    // GIVEN sources with an inline Dockerfile
    const source = mkdtempSync(path.join(dir, 'source-'));
    await writeFiles(source, { Dockerfile: 'FROM inline\n' });
    // WHEN the image's /opt/app/. and the odd file are copied to the root and to odd/
    const result = await copy({
      IMAGE_SOURCES: [`0=${image}`], IMAGE_SOURCE_PATHS: [imageSourcePathItem(0, '.', '/opt/app/.'), imageSourcePathItem(0, 'o d=d', ODD)], KEEP: 'Dockerfile',
    }, source);
    // THEN the odd file is there under its own name, and the Dockerfile is still the inline one
    expect(result.message).toBeUndefined();
    expect(readFileSync(path.join(source, 'o d=d', 'a=b $HOME.txt'), 'utf8')).toBe('odd\n');
    expect(readFileSync(path.join(source, 'Dockerfile'), 'utf8')).toBe('FROM inline\n');
  });

  it('CLEAN empties the workspace first (a source of images only)', async () => {
    const source = mkdtempSync(path.join(dir, 'source-'));
    await writeFiles(source, { 'stale.txt': 'old' });
    const result = await copy({ IMAGE_SOURCES: [`0=${image}`], IMAGE_SOURCE_PATHS: [imageSourcePathItem(0, '.', '/opt/app/.')], CLEAN: 'true' }, source);
    expect(result.message).toBeUndefined();
    expect(existsSync(path.join(source, 'stale.txt'))).toBe(false);
    expect(readFileSync(path.join(source, 'Dockerfile'), 'utf8')).toBe('FROM from-the-image\n');
  });

  it('writes through no symbolic link of the sources: a destinationDir on one is refused', async () => {
    const source = mkdtempSync(path.join(dir, 'source-'));
    symlinkSync('/tmp', path.join(source, 'out'));
    const result = await copy({ IMAGE_SOURCES: [`0=${image}`], IMAGE_SOURCE_PATHS: [imageSourcePathItem(0, 'out/x', '/opt/app/Dockerfile')] }, source);
    expect(result.failedTask).toBe('images');
    expect(result.logs['images/copy']).toContain("image-sources: image source 0: destinationDir 'out/x': '/out' is a symbolic link, which is not followed out of its image or sources: name the path it points to");
  });

  it.each([
    [{ IMAGE_SOURCES: ['zero=r.io/x:1'], IMAGE_SOURCE_PATHS: ['0=.=/a'] }, "image-sources: param IMAGE_SOURCES item 'zero=r.io/x:1' is not index=image"],
    [{ IMAGE_SOURCES: ['0=r.io/x:1'], IMAGE_SOURCE_PATHS: ['0=/a'] }, "image-sources: param IMAGE_SOURCE_PATHS item '0=/a' is not index=destinationDir=sourcePath"],
    [{ IMAGE_SOURCES: ['0=r.io/x:1'], IMAGE_SOURCE_PATHS: ['0=.=/a'], OWN_PULL_SECRET: ['0'] }, 'image-sources: image sources 0 name their own pullSecret, but workspace images-pull-dockerconfig is not bound: bind it to that Secret'],
  ])('refuses %j before pulling anything', async (params, message) => {
    const source = mkdtempSync(path.join(dir, 'source-'));
    const result = await copy(params, source);
    expect(result.failedTask).toBe('images');
    expect(result.logs['images/copy']).toContain(message);
  });
});
