import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { appSource, REPO_ROOT, tempApp, type TempApp } from '../support/temp-app';

const apps: TempApp[] = [];
afterEach(() => apps.splice(0).forEach((a) => a.remove()));
function makeApp(files: Record<string, string>): TempApp {
  const app = tempApp(files);
  apps.push(app);
  return app;
}

describe('imagestreams check', () => {
  it('exits 0 for a well-typed app', async () => {
    const app = makeApp({ 'main.ts': appSource("new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });") });
    expect(await cli(app.dir, 'check')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports type errors in imported files as file:line:col with a code frame, exit 1', async () => {
    const app = makeApp({
      'main.ts': appSource('const n: number = twice(2);', "import { twice } from './lib';"),
      'lib.ts': "export function twice(x: number): string {\n  return x * 2;\n}\n",
    });
    const run = await cli(app.dir, 'check');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe([
      "lib.ts:2:3: error: Type 'number' is not assignable to type 'string'. (TS2322)",
      '  2 |   return x * 2;',
      '    |   ^',
      "main.ts:5:7: error: Type 'string' is not assignable to type 'number'. (TS2322)",
      '  5 | const n: number = twice(2);',
      '    |       ^',
      '',
      'found 2 type errors',
      '',
    ].join('\n'));
  });

  it('is strict by default (implicit any is an error)', async () => {
    const app = makeApp({ 'main.ts': 'export function f(x) { return x; }\n' });
    const run = await cli(app.dir, 'check');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("main.ts:1:19: error: Parameter 'x' implicitly has an 'any' type. (TS7006)");
  });

  it("uses the user's tsconfig.json when there is one", async () => {
    const app = makeApp({
      'main.ts': 'export function f(x) { return x; }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: false, noImplicitAny: false } }),
    });
    expect((await cli(app.dir, 'check')).code).toBe(0);
  });

  it("keeps TypeScript's incremental build info in the cache, and a later run still sees every change", async () => {
    // GIVEN an app whose imported file has a type error, and an empty cache
    const cache = mkdtempSync(join(tmpdir(), 'imagestreams-check-cache-'));
    const previous = process.env.IMAGESTREAMS_CACHE_DIR;
    process.env.IMAGESTREAMS_CACHE_DIR = cache;
    try {
      const app = makeApp({
        'main.ts': appSource('const n: number = twice(2);', "import { twice } from './lib';"),
        'lib.ts': 'export function twice(x: number): number {\n  return `${x}`;\n}\n',
      });
      // WHEN it is checked, fixed, checked, broken elsewhere and checked again
      const first = await cli(app.dir, 'check');
      const buildInfo = readdirSync(join(cache, 'typecheck'));
      const again = await cli(app.dir, 'check');
      app.write('lib.ts', 'export function twice(x: number): number {\n  return x * 2;\n}\n');
      const fixed = await cli(app.dir, 'check');
      app.write('lib.ts', 'export function twice(x: number): string {\n  return `${x * 2}`;\n}\n');
      const broken = await cli(app.dir, 'check');
      // THEN the build info is kept, and each run reports what the files hold then (the build info
      // never hides an error, even one that appears in a file that did not change: main.ts)
      expect(buildInfo).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.tsbuildinfo$/)]);
      expect(first.stderr).toContain("lib.ts:2:3: error: Type 'string' is not assignable to type 'number'. (TS2322)");
      expect(again).toEqual(first);
      expect(fixed).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain("main.ts:5:7: error: Type 'string' is not assignable to type 'number'. (TS2322)");
    } finally {
      if (previous === undefined) delete process.env.IMAGESTREAMS_CACHE_DIR;
      else process.env.IMAGESTREAMS_CACHE_DIR = previous;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  describe("with the project's TypeScript", () => {
    // The tsconfig.json `cdk8s init typescript-app` writes (cdk8s-cli's template), and the same with
    // moduleResolution node, as many such projects have: TypeScript 5 accepts both, 6 (ts-morph's) refuses node (TS5107).
    const template = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json'), 'utf8'));
    const CDK8S_INIT_TSCONFIG = JSON.stringify({ ...template, compilerOptions: { ...template.compilerOptions, moduleResolution: 'node' } });
    const MAIN = appSource("new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });");

    it.each([['as written', JSON.stringify(template)], ['with moduleResolution node', CDK8S_INIT_TSCONFIG]])('accepts the tsconfig of a cdk8s init project %s, as its tsc (TypeScript 5) does', async (_, tsconfig) => {
      const app = makeApp({ 'main.ts': MAIN, 'tsconfig.json': tsconfig, 'package.json': '{ "name": "init-app", "private": true }' });
      expect(JSON.parse(readFileSync(app.path('node_modules/typescript/package.json'), 'utf8')).version).toMatch(/^5\./);
      expect(await cli(app.dir, 'check')).toEqual({ code: 0, stdout: '', stderr: '' });
    });

    it('says which TypeScript refused a tsconfig when the project has none installed', async () => {
      // GIVEN a project with cdk8s and constructs but no typescript
      const dir = mkdtempSync(join(tmpdir(), 'imagestreams-no-ts-'));
      try {
        mkdirSync(join(dir, 'node_modules'));
        for (const pkg of ['cdk8s', 'constructs']) symlinkSync(join(REPO_ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
        const app = tempAppIn(dir, { 'main.ts': MAIN, 'tsconfig.json': CDK8S_INIT_TSCONFIG, 'package.json': '{ "name": "init-app", "private": true }' });
        // WHEN checked THEN ours reports the option, and says how to check with the project's own
        const run = await cli(app, 'check');
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('(TS5107)');
        expect(run.stderr).toMatch(/note: checked with TypeScript 6\.[0-9.]+ \(cdk8s-imagestreams' own, as no typescript is installed in the project\): install the one your tsconfig is written for, e\.g\. npm install --save-dev typescript@5/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it.each(['examples/seed/main.ts', 'examples/from-openshift/main.ts'])('type-checks %s with the repository tsconfig', async (entry) => {
      expect(await cli(REPO_ROOT, 'check', entry)).toEqual({ code: 0, stdout: '', stderr: '' });
    });
  });
});

function tempAppIn(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}
