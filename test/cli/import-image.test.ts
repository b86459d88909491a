import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import { cli } from '../support/cli';
import { startFaultProxy } from '../support/registry/fault-proxy';
import { pushImage, retag } from '../support/registry/images';
import { startRegistry, type RunningRegistry } from '../support/registry/registry';
import { cliKube, unreachableKubeconfig, type CliKube } from './cluster';

// On the real API server (a namespace of this file's own), streams synthesized by the constructs,
// images in the real registry on loopback.
describe('imagestreams import-image', () => {
  let k: CliKube;
  let registry: RunningRegistry;
  let dir: string;
  beforeAll(async () => {
    [k, registry] = await Promise.all([cliKube('cli-import-image'), startRegistry()]);
    dir = mkdtempSync(join(tmpdir(), 'import-image-'));
  });
  afterAll(async () => {
    k?.close();
    await registry?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const importImage = (...args: string[]) => cli(dir, 'import-image', ...args, '--kubeconfig', k.kubeconfigPath);

  it('imports every importable tag now, scheduled or not, and prints a table', async () => {
    // GIVEN a stream with a scheduled tag, a plain tag, an alias and a missing image
    const app = await pushImage(registry.host, 'team/app:v1');
    const tool = await pushImage(registry.host, 'team/tool:v2');
    await k.create((chart) => {
      const stream = new ImageStream(chart, 'app');
      const latest = stream.importTag('latest', { from: `${registry.host}/team/app:v1`, insecure: true });
      stream.importTag('tool', { from: `${registry.host}/team/tool:v2`, insecure: true, scheduled: false });
      stream.aliasTag('alias', latest);
    });
    // WHEN imported through the kubeconfig THEN both tags are imported, exit 0
    const first = await importImage('app');
    const appRef = `${registry.host}/team/app@${app.digest}`;
    const toolRef = `${registry.host}/team/tool@${tool.digest}`;
    expect(first).toEqual({
      code: 0,
      stdout: ['TAG     RESULT   IMAGE OR MESSAGE', `latest  Updated  ${appRef}`, `tool    Updated  ${toolRef}`, ''].join('\n'),
      stderr: '',
    });
    // WHEN imported again THEN nothing moved
    expect((await importImage('app', '-n', k.namespace)).stdout).toContain(`latest  Unchanged  ${appRef}`);
    const status = (await k.streams().get('app')).status!.tags!;
    expect(status.map((t) => [t.tag, t.items!.length])).toEqual([['latest', 1], ['tool', 1]]);
  });

  it('--from IMAGE points STREAM:TAG at an image and imports it; --confirm creates the stream', async () => {
    // GIVEN an image, and no stream fresh
    const image = await pushImage(registry.host, 'team/fresh:v3');
    // WHEN imported without --confirm THEN refused; with it, the stream is created with the tag, imported
    expect(await importImage('fresh:stable', '--from', `${registry.host}/team/fresh:v3`, '--insecure')).toEqual({
      code: 1, stdout: '', stderr: `error: imagestream "fresh" not found in namespace "${k.namespace}": pass --confirm to create it\n`,
    });
    const run = await importImage('fresh:stable', '--from', `${registry.host}/team/fresh:v3`, '--insecure', '--confirm');
    expect(run).toEqual({
      code: 0,
      stdout: ['imagestream fresh created', 'TAG     RESULT   IMAGE OR MESSAGE', `stable  Updated  ${registry.host}/team/fresh@${image.digest}`, ''].join('\n'),
      stderr: '',
    });
    expect((await k.streams().get('fresh')).spec.tags).toEqual([{
      name: 'stable', from: { kind: 'DockerImage', name: `${registry.host}/team/fresh:v3` },
      importPolicy: { scheduled: false, insecure: true, importMode: 'Legacy' }, referencePolicy: { type: 'Source' },
    }]);
    // WHEN another image is imported into an existing stream without a tag THEN its tag (v3) names the stream's
    expect((await importImage('app', '--from', `${registry.host}/team/fresh:v3`, '--insecure', '--scheduled')).code).toBe(0);
    expect((await k.streams().get('app')).spec.tags!.find((t) => t.name === 'v3')).toMatchObject({ importPolicy: { scheduled: true } });
  });

  it('--from REPOSITORY --all imports every tag of the repository (tags/list, paged), at most --max', async () => {
    // GIVEN a repository with 5 tags behind a proxy that pages tags/list by at most 2 (as distribution 3 does)
    const { digest } = await pushImage(registry.host, 'team/all:t1');
    for (const t of ['t2', 't3', 't4', 't5']) await retag(registry.host, `team/all:${t}`, digest);
    const proxy = await startFaultProxy(registry.host, () => ({ kind: 'paginate', pageSize: 2 }));
    try {
      // WHEN --all with --max 4 THEN t1..t4 become tags of the stream and are imported
      const run = await importImage('everything', '--from', `${proxy.host}/team/all`, '--all', '--max', '4', '--insecure', '--confirm');
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n').filter((l) => / Updated /.test(l)).map((l) => l.split(' ')[0])).toEqual(['t1', 't2', 't3', 't4']);
      const stream = await k.streams().get('everything');
      expect(stream.spec.tags!.map((t) => [t.name, t.from!.name])).toEqual(['t1', 't2', 't3', 't4'].map((t) => [t, `${proxy.host}/team/all:${t}`]));
      expect(stream.status!.tags!.map((t) => t.items![0].image)).toEqual([digest, digest, digest, digest]);
      expect(proxy.requests.filter((r) => r.path.includes('/tags/list')).map((r) => r.path)).toEqual(['/v2/team/all/tags/list?n=4', '/v2/team/all/tags/list?last=t2&n=2']);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    [['app', '--all'], '--all needs --from'],
    [['app:v1'], 'name the image to import into v1 with --from IMAGE, or import every tag of the stream without :v1'],
    [['app:v1', '--from', 'x/y', '--all'], '--all imports every tag of the repository under its own name: give STREAM without a tag'],
    [['app', '--from', 'x/y', '--max', '3'], '--max needs --all'],
    [['app', '--from', 'x/y', '--all', '--max', '0'], "--max must be a positive integer, not '0'"],
    [['app', '--from', 'x/y', '--import-mode', 'Both'], "--import-mode must be Legacy or PreserveOriginal, not 'Both'"],
  ])('is a usage error: import-image %j', async (args, message) => {
    expect(await cli(dir, 'import-image', ...args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nsee 'imagestreams import-image --help'\n` });
  });

  it('exits 1 and shows the reason when a tag fails', async () => {
    await k.create((chart) => new ImageStream(chart, 'broken').importTag('v9', { from: `${registry.host}/team/app:v9`, insecure: true, scheduled: false }));
    expect(await importImage('broken')).toEqual({
      code: 1,
      stdout: ['TAG  RESULT    IMAGE OR MESSAGE', `v9   NotFound  ${registry.host}/team/app:v9 not found: manifest unknown`, ''].join('\n'),
      stderr: '',
    });
  });

  it('exits 1 with a clear message when the stream is not there', async () => {
    expect(await importImage('nope', '-n', k.namespace)).toEqual({ code: 1, stdout: '', stderr: `error: imagestream "nope" not found in namespace "${k.namespace}"\n` });
  });

  it('exits 1 with a clear message when the cluster is not there', async () => {
    const kubeconfig = await unreachableKubeconfig(k);
    try {
      const run = await cli(dir, 'import-image', 'app', '--kubeconfig', kubeconfig.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot import on the cluster at ${kubeconfig.server}: .*ECONNREFUSED`));
    } finally {
      kubeconfig.remove();
    }
  });

  it('exits 1 for a missing kubeconfig or context', async () => {
    expect(await cli(dir, 'import-image', 'app', '--kubeconfig', join(dir, 'absent'))).toEqual({
      code: 1, stdout: '', stderr: `error: no kubeconfig found (looked at ${join(dir, 'absent')})\n`,
    });
    const run = await importImage('app', '--context', 'elsewhere');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*elsewhere/);
  });

  it('is a usage error without STREAM', async () => {
    expect(await cli(dir, 'import-image')).toEqual({
      code: 2, stdout: '', stderr: "error: the STREAM argument is missing\nsee 'imagestreams import-image --help'\n",
    });
  });
});
