import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duration } from 'cdk8s';
import { ImageStream } from '../../constructs';
import { cli } from '../support/cli';
import { cliKube, setHistory, testDigest, type CliKube } from './cluster';

const REPO = 'registry.example.com/team/app';
const [A, B] = [testDigest(0xa), testDigest(0xb)];

// On the real API server: streams synthesized by the constructs, histories written as imports record them.
describe('imagestreams promote', () => {
  let k: CliKube;
  let dir: string;
  beforeAll(async () => {
    k = await cliKube('cli-promote');
    dir = mkdtempSync(join(tmpdir(), 'promote-'));
  });
  afterAll(() => {
    k?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const promote = (...args: string[]) => cli(dir, 'promote', ...args, '--kubeconfig', k.kubeconfigPath);
  const items = async (stream: string, tag: string) => (await k.imageStreams().get(stream)).status?.tags?.find((t) => t.tag === tag)?.items ?? [];

  it("promotes staging's image into prod, noting where it came from, and does nothing when asked again", async () => {
    // GIVEN app:staging imported (history B, A) and app:prod a promoted tag
    await k.create((chart) => {
      const app = new ImageStream(chart, 'app');
      app.importTag('staging', { from: `${REPO}:main` });
      app.promoteTag('prod', app.tag('staging'), { soak: Duration.minutes(30) });
    });
    await setHistory(k.imageStreams(), 'app', 'staging', [B, A]);
    // WHEN promoted by hand
    const run = await promote('app:staging', 'app:prod');
    // THEN prod has B, from staging
    expect(run).toEqual({ code: 0, stdout: `app:prod promoted to ${REPO}@${B} from app:staging\n`, stderr: '' });
    expect(await items('app', 'prod')).toEqual([expect.objectContaining({ image: B, dockerImageReference: `${REPO}@${B}`, promotedFrom: `${k.namespace}/app:staging` })]);
    // AND again: nothing to do
    expect((await promote('app:staging', 'app:prod')).stdout).toBe(`app:prod already at ${REPO}@${B}\n`);
  });

  it('refuses while the soak holds, and a destination that imports', async () => {
    await k.create((chart) => {
      const web = new ImageStream(chart, 'web');
      web.importTag('staging', { from: `${REPO}:main` });
      web.importTag('prod', { from: `${REPO}:stable` });
    });
    await k.imageStreams().mergePatchStatus('web', { status: { tags: [{ tag: 'staging', items: [{ dockerImageReference: `${REPO}@${A}`, image: A, created: new Date(Date.now() - 60_000).toISOString() }] }] } });
    const soaking = await promote('web:staging', 'web:canary', '--soak', '1h');
    expect(soaking.code).toBe(1);
    expect(soaking.stderr).toMatch(/not promoted: sha256:0{63}a has soaked 1(\.0)?m of 1h/);
    const imports = await promote('web:staging', 'web:prod');
    expect(imports.code).toBe(1);
    expect(imports.stderr).toContain(`"${k.namespace}/web:prod" has a source of its own (DockerImage ${REPO}:stable), whose next import or alias would replace what is promoted`);
    // AND a new tag is added, without a source
    const added = await promote('web:staging', 'web:canary', '--soak', '30s');
    expect(added.stdout).toBe(`web:canary added to the stream (a tag without a source: its images are what is promoted)\nweb:canary promoted to ${REPO}@${A} from web:staging\n`);
    expect((await k.imageStreams().get('web')).spec.tags!.find((t) => t.name === 'canary')).toEqual({ name: 'canary' });
  });

  it('needs a Pull grant from the source namespace, and a rollout when asked', async () => {
    const other = await k.newNamespace('cli-promote-src');
    await k.create((chart) => new ImageStream(chart, 'base').importTag('release', { from: `${REPO}:release` }), other);
    await setHistory(k.imageStreams(other), 'base', 'release', [A]);
    await k.create((chart) => new ImageStream(chart, 'mine'));
    const denied = await promote(`${other}/base:release`, 'mine:release');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`namespace '${k.namespace}' may not pull from ImageStream '${other}/base'`);
    await k.imageStreams(other).mergePatch('base', { spec: { grants: [{ namespace: k.namespace, access: 'Pull' }] } });
    const noRollout = await promote(`${other}/base:release`, 'mine:release', '--require-rollout');
    expect(noRollout.stderr).toContain('not promoted: no workload follows the source tag, so no rollout can pass');
    expect((await promote(`${other}/base:release`, 'mine:release')).code).toBe(0);
  });
});
