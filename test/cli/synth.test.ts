import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { appSource, tempApp, type TempApp } from '../support/temp-app';

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
  it('writes one file per chart into dist/ by default', async () => {
    const run = await cli(app.dir, 'synth');
    expect(run).toMatchObject({ code: 0, stderr: 'wrote 2 files to dist\n' });
    expect(readFileSync(app.path('dist/main.k8s.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
  });

  it('removes YAML files it no longer writes, and leaves other files alone', async () => {
    app.write('out/stale.k8s.yaml', 'kind: Old\n');
    app.write('out/README.md', 'notes\n');
    await cli(app.dir, 'synth', 'main.ts', '--out', 'out');
    expect(() => readFileSync(app.path('out/stale.k8s.yaml'))).toThrow();
    expect(readFileSync(app.path('out/README.md'), 'utf8')).toBe('notes\n');
  });

  it('--stdout prints one multi-document stream and writes nothing', async () => {
    const run = await cli(app.dir, 'synth', '--stdout');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n');
    expect(() => readFileSync(app.path('dist/main.k8s.yaml'))).toThrow();
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
    writeFileSync(app.path('dist/main.k8s.yaml'), readFileSync(app.path('dist/main.k8s.yaml'), 'utf8').replace('fast', 'slow'));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('-  mode: slow\n+  mode: fast\n');
    expect(run.stderr).toBe('error: dist is stale (1 changed): run imagestreams synth to update it\n');
    expect(readFileSync(app.path('dist/main.k8s.yaml'), 'utf8')).toContain('slow');
  });

  it('exits 1 when a file is missing', async () => {
    rmSync(app.path('dist/other.k8s.yaml'));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('--- /dev/null\n+++ dist/other.k8s.yaml\n');
    expect(run.stdout).toContain('+  name: other\n');
    expect(run.stderr).toBe('error: dist is stale (1 missing): run imagestreams synth to update it\n');
  });

  it('exits 1 when there is an extra file', async () => {
    app.write('dist/leftover.k8s.yaml', 'kind: Leftover\n');
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('-kind: Leftover\n');
    expect(run.stderr).toBe('error: dist is stale (1 extra): run imagestreams synth to update it\n');
  });

  it('exits 1 when the config changed since the last synth', async () => {
    app.write('main.ts', readFileSync(app.path('main.ts'), 'utf8').replace("mode: 'fast'", "mode: 'safe'"));
    const run = await cli(app.dir, 'synth', '--check');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('+  mode: safe\n');
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
