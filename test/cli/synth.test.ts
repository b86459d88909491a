import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { appSource, REPO_ROOT, tempApp, type TempApp } from '../support/temp-app';

const MAIN = 'dist/01-resources/main.k8s.yaml';
const OTHER = 'dist/01-resources/other.k8s.yaml';

beforeAll(() => {
  process.env.IMAGESTREAMS_CACHE_DIR = join(tmpdir(), `imagestreams-cli-cache-${process.pid}`);
});

let app: TempApp;
beforeEach(() => {
  app = tempApp({
    'main.ts': appSource(`new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });
new ApiObject(new Chart(app, 'other'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });`),
  });
});
afterEach(() => app.remove());

describe('imagestreams synth', () => {
  it('writes one file per chart into dist/ by default, and records them', async () => {
    const run = await cli(app.dir, 'synth');
    expect(run).toMatchObject({ code: 0, stderr: 'wrote 2 files to dist\n' });
    expect(readFileSync(app.path(MAIN), 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
    expect(readFileSync(app.path('dist/.imagestreams-output'), 'utf8')).toMatch(/\n01-resources\/main\.k8s\.yaml\n01-resources\/other\.k8s\.yaml\n$/);
  });

  it('removes only the files it wrote and no longer writes, and leaves other files alone', async () => {
    // GIVEN an output folder synth wrote, with someone else's files in it
    await cli(app.dir, 'synth', 'main.ts', '--out', 'out');
    app.write('out/README.md', 'notes\n');
    app.write('out/01-resources/mine.yaml', 'kind: Mine\n');
    // WHEN the app drops the chart 'other'
    app.write('main.ts', appSource(`new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });`));
    const run = await cli(app.dir, 'synth', 'main.ts', '--out', 'out');
    // THEN its file is gone, and nothing else
    expect(run).toMatchObject({ code: 0, stderr: 'wrote 1 file to out, removed 1 it no longer writes\n' });
    expect(readdirSync(app.path('out'), { recursive: true }).sort()).toEqual(['.imagestreams-output', '01-resources', '01-resources/main.k8s.yaml', '01-resources/mine.yaml', 'README.md']);
  });

  it("--out . in a project refuses, names what is there, and touches nothing (workflows, node_modules)", async () => {
    // GIVEN a project folder with CI workflows next to the app (node_modules is linked in by the fixture)
    app.write('.github/workflows/ci.yaml', 'on: push\n');
    // WHEN synth is pointed at the project itself
    const run = await cli(app.dir, 'synth', '--out', '.');
    // THEN it refuses with the fix, exit 1, and writes nothing
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: . is not empty and was not written by imagestreams synth (it holds main.ts, node_modules; synth records its files in ./.imagestreams-output)\n'
        + '  note: synth writes only into a new or empty folder, or one it wrote before: choose another folder with --out, or pass --take-over to write into . anyway (synth then replaces files of the names it writes, and deletes nothing it did not write)\n',
    });
    expect(readdirSync(app.dir).sort()).toEqual(['.github', 'main.ts', 'node_modules']);
    expect(readFileSync(app.path('.github/workflows/ci.yaml'), 'utf8')).toBe('on: push\n');
  });

  it('--take-over writes into a folder it did not write, deleting nothing, and owns it from then on', async () => {
    app.write('deploy/kustomization.yaml', 'resources: []\n');
    expect(await cli(app.dir, 'synth', '--out', 'deploy', '--take-over')).toMatchObject({ code: 0, stderr: 'wrote 2 files to deploy\n' });
    expect(readFileSync(app.path('deploy/kustomization.yaml'), 'utf8')).toBe('resources: []\n');
    expect(await cli(app.dir, 'synth', '--out', 'deploy')).toMatchObject({ code: 0 });
    expect(await cli(app.dir, 'synth', '--out', 'deploy', '--check')).toMatchObject({ code: 0, stderr: 'deploy is up to date\n' });
  });

  it('an app that synthesizes nothing is an error, and leaves dist/ as it was', async () => {
    await cli(app.dir, 'synth');
    app.write('main.ts', appSource(''));
    expect(await cli(app.dir, 'synth')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: main.ts synthesized nothing: its App's chart holds no objects\n  note: add charts with constructs to the App before app.synth(), e.g. new System(app, 'imagestreams')\n",
    });
    expect(existsSync(app.path(MAIN))).toBe(true);
  });

  it('--out naming a file is an error', async () => {
    app.write('dist', 'a file\n');
    expect(await cli(app.dir, 'synth')).toMatchObject({ code: 1, stderr: 'error: dist is a file, not a folder\n  note: give --out a folder (it is created when missing), e.g. --out dist\n' });
  });

  it('--stdout prints one multi-document stream and writes nothing', async () => {
    const run = await cli(app.dir, 'synth', '--stdout');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n');
    expect(existsSync(app.path('dist'))).toBe(false);
  });
});

describe('imagestreams synth --check', () => {
  beforeEach(async () => {
    expect((await cli(app.dir, 'synth')).code).toBe(0);
  });

  it('exits 0 and writes nothing when dist/ is up to date', async () => {
    expect(await cli(app.dir, 'synth', '--check')).toEqual({ code: 0, stdout: '', stderr: 'dist is up to date\n' });
  });

  it('exits 1 with a diff when a file was edited', async () => {
    writeFileSync(app.path(MAIN), readFileSync(app.path(MAIN), 'utf8').replace('fast', 'slow'));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('-  mode: slow\n+  mode: fast\n');
    expect(run.stderr).toBe('error: dist is stale (1 changed): run imagestreams synth to update it\n');
    expect(readFileSync(app.path(MAIN), 'utf8')).toContain('slow');
  });

  it('exits 1 when a file is missing', async () => {
    rmSync(app.path(OTHER));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('--- /dev/null\n+++ dist/01-resources/other.k8s.yaml\n');
    expect(run.stdout).toContain('+  name: other\n');
    expect(run.stderr).toBe('error: dist is stale (1 missing): run imagestreams synth to update it\n');
  });

  it('exits 1 when there is a file synth wrote and no longer writes; files of others are not its business', async () => {
    app.write('dist/01-resources/mine.yaml', 'kind: Mine\n');
    expect(await cli(app.dir, 'synth', '--check')).toMatchObject({ code: 0 });
    app.write('main.ts', appSource(`new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });`));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('--- dist/01-resources/other.k8s.yaml\n+++ /dev/null\n');
    expect(run.stdout).not.toContain('Mine');
    expect(run.stderr).toBe('error: dist is stale (1 changed, 1 extra): run imagestreams synth to update it\n');
  });

  it('exits 1 on a folder synth did not write, naming what is there', async () => {
    app.write('other/ci.yaml', 'on: push\n');
    expect(await cli(app.dir, 'synth', '--check', '--out', 'other')).toMatchObject({
      code: 1,
      stderr: 'error: other is not empty and was not written by imagestreams synth (it holds ci.yaml; synth records its files in other/.imagestreams-output)\n'
        + '  note: --check compares only a folder synth wrote: run imagestreams synth first (with --take-over if the folder is meant to hold its output)\n',
    });
  });

  it('exits 1 when the config changed since the last synth', async () => {
    app.write('main.ts', readFileSync(app.path('main.ts'), 'utf8').replace("mode: 'fast'", "mode: 'safe'"));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('+  mode: safe\n');
  });
});

describe('imagestreams synth --check on an app with the System', () => {
  it('shows the runtime script of each ConfigMap as one line with its size and hash, never as minified JavaScript', async () => {
    // GIVEN the seed example synthesized into a folder
    const out = mkdtempSync(join(tmpdir(), 'imagestreams-seed-'));
    try {
      const seed = join('examples', 'seed', 'main.ts');
      expect(await cli(REPO_ROOT, 'synth', seed, '--out', out)).toMatchObject({ code: 0 });
      // WHEN the runtime script in it is not the one synth writes (as after an upgrade of the package)
      const file = join(out, '01-resources', 'imagestreams.k8s.yaml');
      const written = readFileSync(file, 'utf8');
      // (the script is one double-quoted scalar, or a block literal when it holds no control character)
      writeFileSync(file, written.replace(/(imagestreams-runtime\.part-000\.js: (?:"|\|-?\n +))/g, '$1/* an older runtime */'));
      const run = await cli(REPO_ROOT, 'synth', seed, '--out', out, '--check');
      // THEN the diff shows each part of the script as one line with its size and hash, and nothing of the script
      expect(run.code).toBe(1);
      const summary = (sign: string) => new RegExp(`^\\${sign} {2}imagestreams-runtime\\.part-000\\.js: <the runtime script: [0-9,]+ bytes, sha256 ([0-9a-f]{16})…, not shown>$`);
      const added = run.stdout.split('\n').map((l) => summary('+').exec(l)).filter((m) => m !== null);
      const removed = run.stdout.split('\n').filter((l) => summary('-').test(l));
      expect(added.length).toBeGreaterThan(0);
      expect(removed).toHaveLength(added.length);
      expect(added.every((m) => written.includes(`imagestreams-runtime-`) && /^[0-9a-f]{16}$/.test(m[1]))).toBe(true);
      expect(run.stdout).not.toContain('older runtime');
      expect(Math.max(...run.stdout.split('\n').map((l) => l.length))).toBeLessThan(200);
      expect(run.stdout.length).toBeLessThan(5_000);
      expect(run.stderr).toBe(`error: ${out} is stale (1 changed): run imagestreams synth to update it\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('imagestreams: errors and help', () => {
  it('prints a user error with file:line:col and a code frame, exit 1, no stack trace', async () => {
    app.write('main.ts', "import { App } from 'cdk8s';\nconst app = new App();\nthrow new Error('no charts today');\n");
    const run = await cli(app.dir, 'synth');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("main.ts:3:7: error: no charts today\n  3 | throw new Error('no charts today');\n    |       ^\n");
  });

  it('--verbose adds the full stack trace', async () => {
    app.write('main.ts', "throw new Error('boom');\n");
    const run = await cli(app.dir, 'synth', '--verbose');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('main.ts:1:7: error: boom\n');
    expect(run.stderr).toContain('    at ');
  });

  it('prints validation errors with construct paths', async () => {
    app.write('main.ts', appSource("chart.node.addValidation({ validate: () => ['replicas must be positive'] });"));
    expect(await cli(app.dir, 'synth')).toMatchObject({ code: 1, stderr: '[main] error: replicas must be positive\n' });
  });

  it('reports a missing entry with a hint', async () => {
    expect(await cli(app.dir, 'synth', 'app.ts')).toMatchObject({
      code: 1,
      stderr: 'error: entry app.ts does not exist\n  note: pass the TypeScript file that builds your cdk8s App: imagestreams synth path/to/main.ts\n',
    });
  });

  it.each([
    [['synth', '--bogus'], "error: Unknown option '--bogus'\nsee 'imagestreams synth --help'\n"],
    [['synth', 'a.ts', 'b.ts'], "error: unexpected argument 'b.ts'\nsee 'imagestreams synth --help'\n"],
    [['synth', '--check', '--stdout'], "error: --check and --stdout cannot be used together\nsee 'imagestreams synth --help'\n"],
    [['synth', '--layout', 'flat'], "error: --layout must be 'chart' or 'resource', not 'flat'\nsee 'imagestreams synth --help'\n"],
    [['synth', '--take-over', '--check'], "error: --take-over writes into a folder; it cannot be used with --check\nsee 'imagestreams synth --help'\n"],
    [['synth', '--take-over', '--stdout'], "error: --take-over writes into a folder; it cannot be used with --stdout\nsee 'imagestreams synth --help'\n"],
    [['frobnicate'], "error: unknown command 'frobnicate'\nsee 'imagestreams --help'\n"],
  ])('exits 2 on the usage error %j', async (argv, stderr) => {
    expect(await cli(app.dir, ...argv)).toEqual({ code: 2, stdout: '', stderr });
  });

  it.each(['synth', 'check'])('%s --help prints its usage', async (command) => {
    const run = await cli(app.dir, command, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: imagestreams ${command} \\[ENTRY\\]`));
  });

  it('--help lists every command', async () => {
    const run = await cli(app.dir, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}synth +compile a TypeScript cdk8s app/m);
    expect(run.stdout).toMatch(/^ {2}check +type-check a TypeScript cdk8s app/m);
  });
});
