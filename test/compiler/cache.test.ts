import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleCache } from '../../lib/compiler/cache';
import { synthesize } from '../../lib/compiler/synth';
import { appSource, tempApp, type TempApp } from '../support/temp-app';

let app: TempApp;
let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'imagestreams-cache-'));
  app = tempApp({
    'main.ts': appSource(`new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { value: VALUE } });`, "import { VALUE } from './lib/value';"),
    'lib/value.ts': "export const VALUE = 'one';\n",
  });
});
afterEach(() => {
  app.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

const synth = () => synthesize('main.ts', { cwd: app.dir, cacheDir });

describe('the compiled-entry cache', () => {
  it('misses on the first run and hits when no input changed', async () => {
    expect((await synth()).cacheHit).toBe(false);
    expect((await synth()).cacheHit).toBe(true);
  });

  it('is invalidated by a change in an imported file, and the change shows in the output', async () => {
    await synth();
    app.write('lib/value.ts', "export const VALUE = 'two';\n");
    const second = await synth();
    expect(second.cacheHit).toBe(false);
    expect(second.files.get('01-resources/main.k8s.yaml')).toContain('value: two');
    expect((await synth()).cacheHit).toBe(true);
  });

  it('is invalidated by a change in the entry itself', async () => {
    await synth();
    app.write('main.ts', appSource(`new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'renamed' } });`));
    const second = await synth();
    expect(second.cacheHit).toBe(false);
    expect(second.files.get('01-resources/main.k8s.yaml')).toContain('name: renamed');
  });

  it('keeps entries apart by salt, so a new compiler or esbuild recompiles', () => {
    const bundle = { code: 'module.exports = 1;', inputs: [app.path('main.ts')] };
    new BundleCache(cacheDir, 'v1').store(app.path('main.ts'), bundle);
    expect(new BundleCache(cacheDir, 'v1').lookup(app.path('main.ts'))).toEqual(bundle);
    expect(new BundleCache(cacheDir, 'v2').lookup(app.path('main.ts'))).toBeUndefined();
  });
});
