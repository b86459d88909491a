/**
 * The README's install command, as the README writes it, on an empty cluster: the real control
 * plane (test/support/cluster), a fresh one per case so that no CRD or namespace of ours exists
 * beforehand, with only Tekton installed (the README's prerequisite), and the kubectl built with it.
 * Every example, every --layout, client-side and server-side apply.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customResourceDefinitions } from '../../lib/api/crds';
import { cli } from '../support/cli';
import { installTekton } from '../support/cluster/tekton';
import { startCluster, type Cluster } from '../support/cluster/start-cluster';
import { REPO_ROOT } from '../support/temp-app';
import { readmeInstallCommands } from './readme-install';

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((n) => existsSync(join(REPO_ROOT, 'examples', n, 'main.ts'))).sort();
const LAYOUTS = ['chart', 'resource'] as const;
const MODES = ['client-side', 'server-side'] as const;
const CASES = EXAMPLES.flatMap((example) => LAYOUTS.flatMap((layout) => MODES.map((mode) => [example, layout, mode] as const)));

/** What a cluster has before anyone installs anything. */
const BUILTIN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'imagestreams-install-'));
  process.env.IMAGESTREAMS_CACHE_DIR = join(work, 'cache');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shell line in `cwd` as a user would, with the cluster's kubectl first on the PATH. */
function sh(line: string, cwd: string, cluster: Cluster): Promise<Run> {
  const env = { ...process.env, PATH: `${cluster.binDir}:${process.env.PATH}`, KUBECONFIG: cluster.adminKubeconfigPath, HOME: cwd };
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `imagestreams synth` of an example into `out` (the examples import the constructs by name: tsconfig maps it to their sources). */
async function synth(example: string, layout: string, out: string): Promise<void> {
  const run = await cli(REPO_ROOT, 'synth', join('examples', example, 'main.ts'), '--out', out, '--layout', layout);
  expect(run, show(run)).toMatchObject({ code: 0 });
}

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: any };

/** Every object in the YAML files under `dir`. */
function objectsIn(dir: string): Obj[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
}

async function expectEmpty(cluster: Cluster): Promise<void> {
  expect((await cluster.kubectl(['get', 'crd', '-o', 'name'])).stdout).toBe('');
  expect((await cluster.kubectl(['get', 'namespaces', '-o', 'name'])).stdout.trim().split('\n').sort()).toEqual(BUILTIN_NAMESPACES.map((n) => `namespace/${n}`));
}

/**
 * Every object of the output as the cluster holds it, without what others write (status, by the
 * controller manager) and what every write moves (resourceVersion, managedFields): a write of ours
 * that changes anything shows here (as a new content hash of the object).
 */
async function snapshot(cluster: Cluster, dir: string): Promise<string[]> {
  const { stdout } = await cluster.kubectl(['get', '-f', join(dir, 'dist', '00-definitions'), '-f', join(dir, 'dist', '01-resources'), '-o', 'json']);
  const list = JSON.parse(stdout) as { items: { kind: string; metadata: Record<string, unknown>; status?: unknown }[] };
  return list.items.map(({ status: _, ...o }) => {
    const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
    const content = createHash('sha256').update(JSON.stringify({ ...o, metadata })).digest('hex').slice(0, 16);
    return `${String(o.kind)}/${String(metadata.namespace ?? '-')}/${String(metadata.name)} ${content}`;
  });
}

function show(run: Run): string {
  return `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
}

describe('the README install command', () => {
  const commands = readmeInstallCommands();

  it('is one line per apply mode, run with the kubectl on the PATH', () => {
    expect(commands.clientSide).toMatch(/^kubectl apply /);
    expect(commands.serverSide).toMatch(/^kubectl apply --server-side /);
  });

  it.each(CASES)('%s, --layout %s, %s apply: succeeds on an empty cluster the first time; applying again changes nothing; kubectl get is,bc shows the printer columns', async (example, layout, mode) => {
    const dir = mkdtempSync(join(work, `${example}-${layout}-${mode}-`));
    const command = mode === 'server-side' ? commands.serverSide : commands.clientSide;
    const cluster = await startCluster();
    let tekton: { stop(): Promise<void> } | undefined;
    try {
      // GIVEN an empty cluster (no CRD, no namespace but the built-in ones) with Tekton installed first, as the README says
      await expectEmpty(cluster);
      tekton = await installTekton(cluster);
      expect((await sh('command -v kubectl', dir, cluster)).stdout.trim()).toBe(cluster.kubectlPath);
      // AND the example synthesized with the layout
      await synth(example, layout, join(dir, 'dist'));
      const objects = objectsIn(join(dir, 'dist'));

      // WHEN the README's command runs
      const first = await sh(command, dir, cluster);

      // THEN it succeeds, and every object is in the cluster
      expect(first.code, show(first)).toBe(0);
      const inCluster = await cluster.kubectl(['get', '-f', join(dir, 'dist', '00-definitions'), '-f', join(dir, 'dist', '01-resources'), '-o', 'name']);
      expect(inCluster.stdout.trim().split('\n')).toHaveLength(objects.length);

      // WHEN it runs again THEN nothing changes: no object differs but in status, and kubectl diff finds nothing
      const before = await snapshot(cluster, dir);
      const again = await sh(command, dir, cluster);
      expect(again.code, show(again)).toBe(0);
      const applied = again.stdout.trim().split('\n').filter((line) => !line.endsWith(' condition met'));
      expect(applied).toHaveLength(objects.length);
      expect(applied.filter((line) => !/ (unchanged|configured|serverside-applied)$/.test(line))).toEqual([]);
      expect(await snapshot(cluster, dir)).toEqual(before);
      const diff = await sh(`kubectl diff ${mode === 'server-side' ? '--server-side ' : ''}-f dist/00-definitions -f dist/01-resources`, dir, cluster);
      expect(diff, show(diff)).toEqual({ code: 0, stdout: '', stderr: '' });

      // AND kubectl get is,bc -A shows the columns the CRDs declare, with the streams' tags and the builds' sources
      await expectPrinterColumns(await sh('kubectl get is,bc -A', dir, cluster), objects);
    } finally {
      await tekton?.stop();
      await cluster.stop();
    }
  }, 300_000);
});

/** The tables of `kubectl get is,bc -A`: a header per kind, then its rows. */
async function expectPrinterColumns(run: Run, objects: Obj[]): Promise<void> {
  expect(run.code, show(run)).toBe(0);
  const tables = run.stdout.trim().split(/\n\n+/).map((t) => t.split('\n').map((line) => line.trim().split(/\s{2,}/)));
  const crds = customResourceDefinitions();
  expect(tables).toHaveLength(crds.filter((crd) => objects.some((o) => o.kind === crd.spec.names.kind)).length);
  for (const crd of crds) {
    const mine = objects.filter((o) => o.kind === crd.spec.names.kind);
    if (mine.length === 0) continue;
    const columns = crd.spec.versions[0].additionalPrinterColumns!.filter((c) => (c.priority ?? 0) === 0).map((c) => c.name.toUpperCase());
    const table = tables.find(([, first]) => first?.[1]?.startsWith(`${crd.spec.names.singular}.`));
    expect(table, `no table of ${crd.spec.names.kind} in\n${run.stdout}`).toBeDefined();
    const [header, ...rows] = table!;
    expect(header).toEqual(['NAMESPACE', 'NAME', ...columns]);
    expect(rows.map((r) => `${r[0]}/${r[1].split('/')[1]}`).sort()).toEqual(mine.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort());
    for (const o of mine) {
      const row = rows.find((r) => r[0] === o.metadata.namespace && r[1].endsWith(`/${o.metadata.name}`))!;
      // kube-apiserver prints the first match of a printer column's path: `.spec.tags[*].name` shows the first tag.
      if (o.kind === 'ImageStream') expect(row[header.indexOf('TAGS')]).toBe(o.spec.tags[0].name);
      if (o.kind === 'BuildConfig') expect(row[header.indexOf('FROM')]).toBe(o.spec.source.git.uri);
    }
  }
}
