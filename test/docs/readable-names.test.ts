/**
 * Names are the readable ones the README uses (`the foo Deployment`, the CronJob `seed-jdk8-import`):
 * no object of the seed example carries a hash suffix, except the three the README documents as
 * named by their content (the runtime's ConfigMaps, the shared Tasks, the registry's credentials Job).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO_ROOT } from '../support/temp-app';

type Obj = { kind: string; metadata: { name: string; namespace?: string } };

/** `Kind/namespace/name` of every object that `imagestreams synth` writes for the seed example. */
let objects: string[];
let out: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'imagestreams-names-'));
  const run = await cli(REPO_ROOT, 'synth', join('examples', 'seed', 'main.ts'), '--out', out);
  expect(run.code, run.stderr).toBe(0);
  objects = (readdirSync(out, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(out, f), 'utf8')).map((d) => d.toJS() as Obj))
    .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the seed example, synthesized', () => {
  it('names its Deployments as the README does: foo, blog, docs, shop, and ours', () => {
    expect(objects.filter((o) => o.startsWith('Deployment/')).sort()).toEqual([
      'Deployment/imagestreams-system/imagestreams-controller',
      'Deployment/imagestreams-system/imagestreams-registry',
      'Deployment/seed/foo',
      'Deployment/web/blog',
      'Deployment/web/docs',
      'Deployment/web/shop',
    ]);
  });

  it('names the import CronJob as the README does', () => {
    expect(objects).toContain('CronJob/imagestreams-system/seed-jdk8-import');
  });

  it('has hash suffixes only on the objects named by their content', () => {
    const hashed = objects.filter((o) => /-[0-9a-f]{8,}(-\d+)?$/.test(o));
    const contentNamed = [
      /^ConfigMap\/imagestreams-system\/imagestreams-runtime-[0-9a-f]{10}-\d+$/, // a new runtime rolls the pods that mount it
      /^Task\/seed\/(git-fetch|buildah-build)-[0-9a-f]{8}$/, // shared in a namespace where identical
      /^Job\/imagestreams-system\/imagestreams-registry-credentials-[0-9a-f]{8}$/, // a Job's spec can't change: a new one runs
    ];
    expect(hashed.filter((o) => !contentNamed.some((p) => p.test(o)))).toEqual([]);
    expect(hashed.length).toBeGreaterThan(0);
  });
});
