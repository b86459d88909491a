import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import { cli } from '../support/cli';
import { pushImage } from '../support/registry/images';
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
      expect(run.stderr).toMatch(new RegExp(`^error: cannot import from the cluster at ${kubeconfig.server}: .*ECONNREFUSED`));
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
