import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDrift, writeOutputDir } from '../../lib/compiler/outdir';
import { OUTPUT_RECORD } from '../../lib/compiler/output-record';

const FILES = new Map([
  ['00-definitions/app.k8s.yaml', 'kind: Namespace\n'],
  ['01-resources/app.k8s.yaml', 'kind: ConfigMap\n'],
]);
const RECORD = [
  '# Written by imagestreams synth: the files it wrote into this folder, which it may replace or delete.',
  '# It touches no other file here. Delete this record only together with the files it lists.',
  '00-definitions/app.k8s.yaml',
  '01-resources/app.k8s.yaml',
  '',
].join('\n');

let root: string;
let out: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'imagestreams-outdir-'));
  out = join(root, 'dist');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
const read = (path: string) => readFileSync(join(root, path), 'utf8');
/** Every file under the root, hidden ones included. */
const tree = () => (readdirSync(root, { recursive: true }) as string[]).filter((p) => statSync(join(root, p)).isFile()).sort();

describe('writeOutputDir', () => {
  it('writes a new folder and records each file it wrote', () => {
    // WHEN synth writes into a folder that doesn't exist
    expect(writeOutputDir(out, FILES, { displayDir: 'dist' })).toEqual({ written: 2, removed: 0 });
    // THEN it holds the files and the record, which lists them (sorted, with its header)
    expect(tree()).toEqual(['dist/.imagestreams-output', 'dist/00-definitions/app.k8s.yaml', 'dist/01-resources/app.k8s.yaml']);
    expect(read(`dist/${OUTPUT_RECORD}`)).toBe(RECORD);
  });

  it('writes into a folder that holds only hidden entries (.gitkeep), and leaves them', () => {
    put('dist/.gitkeep', '');
    writeOutputDir(out, FILES);
    expect(tree()).toEqual(['dist/.gitkeep', 'dist/.imagestreams-output', 'dist/00-definitions/app.k8s.yaml', 'dist/01-resources/app.k8s.yaml']);
  });

  it('deletes only the files it wrote before and writes no longer, and their emptied folders; rewrites only what changed', () => {
    // GIVEN a folder synth wrote, with files of other people's next to its own
    writeOutputDir(out, FILES);
    put('dist/README.md', 'notes\n');
    put('dist/01-resources/extra.yaml', 'kind: Mine\n');
    put('dist/00-definitions/notes.yaml', 'kind: AlsoMine\n');
    // WHEN synth writes a new set: one file unchanged, one gone, one new
    const summary = writeOutputDir(out, new Map([['01-resources/app.k8s.yaml', 'kind: ConfigMap\n'], ['01-resources/web.k8s.yaml', 'kind: Service\n']]));
    // THEN only its own stale file is gone; the others' files stay
    expect(summary).toEqual({ written: 1, removed: 1 });
    expect(tree()).toEqual([
      'dist/.imagestreams-output', 'dist/00-definitions/notes.yaml', 'dist/01-resources/app.k8s.yaml',
      'dist/01-resources/extra.yaml', 'dist/01-resources/web.k8s.yaml', 'dist/README.md',
    ]);
    expect(read('dist/.imagestreams-output')).toContain('\n01-resources/app.k8s.yaml\n01-resources/web.k8s.yaml\n');
    // AND a folder its deletions empty is removed
    writeOutputDir(out, new Map([['01-resources/web.k8s.yaml', 'kind: Service\n']]));
    rmSync(join(out, '00-definitions', 'notes.yaml'));
    writeOutputDir(out, new Map([['01-resources/web.k8s.yaml', 'kind: Service\n'], ['00-definitions/x.k8s.yaml', 'kind: Namespace\n']]));
    writeOutputDir(out, new Map([['01-resources/web.k8s.yaml', 'kind: Service\n']]));
    expect(existsSync(join(out, '00-definitions'))).toBe(false);
  });

  it('refuses a non-empty folder it did not write, naming what is there; --out . in a repository touches nothing', () => {
    // GIVEN a repository: workflows, packages, sources
    put('.github/workflows/ci.yaml', 'on: push\n');
    put('node_modules/pkg/chart.yaml', 'kind: Pkg\n');
    put('package.json', '{}\n');
    put('main.ts', '//\n');
    const before = tree().map((p) => `${p}=${read(p)}`);
    // WHEN synth is asked to write into it
    // THEN it refuses, names what is there, and says how to take it over
    expect(() => writeOutputDir(root, FILES, { displayDir: '.' })).toThrowError(
      `. is not empty and was not written by imagestreams synth (it holds main.ts, node_modules, package.json; synth records its files in ./${OUTPUT_RECORD})`,
    );
    const error = (() => { try { writeOutputDir(root, FILES, { displayDir: '.' }); } catch (e) { return e as { diagnostics: { notes: string[] }[] }; } })();
    expect(error!.diagnostics[0].notes).toEqual([
      'synth writes only into a new or empty folder, or one it wrote before: choose another folder with --out, or pass --take-over to write into . anyway (synth then replaces files of the names it writes, and deletes nothing it did not write)',
    ]);
    // AND nothing changed
    expect(tree().map((p) => `${p}=${read(p)}`)).toEqual(before);
  });

  it('takes a folder over when asked: writes its files, records them, and deletes nothing it did not write', () => {
    put('.github/workflows/ci.yaml', 'on: push\n');
    put('node_modules/pkg/chart.yaml', 'kind: Pkg\n');
    put('01-resources/app.k8s.yaml', 'kind: Old\n');
    writeOutputDir(root, FILES, { takeOver: true });
    expect(tree()).toEqual([
      '.github/workflows/ci.yaml', OUTPUT_RECORD, '00-definitions/app.k8s.yaml', '01-resources/app.k8s.yaml', 'node_modules/pkg/chart.yaml',
    ]);
    expect(read('01-resources/app.k8s.yaml')).toBe('kind: ConfigMap\n');
    expect(read('.github/workflows/ci.yaml')).toBe('on: push\n');
    // AND from then on it owns the folder: a later synth needs no --take-over
    expect(writeOutputDir(root, new Map([['01-resources/app.k8s.yaml', 'kind: ConfigMap\n']]))).toEqual({ written: 0, removed: 1 });
    expect(tree()).toEqual(['.github/workflows/ci.yaml', OUTPUT_RECORD, '01-resources/app.k8s.yaml', 'node_modules/pkg/chart.yaml']);
  });

  it('refuses to replace a file of its own name that it did not write, unless taking over', () => {
    writeOutputDir(out, new Map([['01-resources/app.k8s.yaml', 'kind: ConfigMap\n']]));
    put('dist/00-definitions/app.k8s.yaml', 'kind: Handwritten\n');
    expect(() => writeOutputDir(out, FILES, { displayDir: 'dist' })).toThrowError(
      'dist/00-definitions/app.k8s.yaml is in the way: synth writes that file but did not write it',
    );
    expect(read('dist/00-definitions/app.k8s.yaml')).toBe('kind: Handwritten\n');
    writeOutputDir(out, FILES, { displayDir: 'dist', takeOver: true });
    expect(read('dist/00-definitions/app.k8s.yaml')).toBe('kind: Namespace\n');
  });

  it('refuses a record that lists files synth never writes (hidden folders, node_modules, outside the folder, not YAML)', () => {
    writeOutputDir(out, FILES);
    put('dist/.github/workflows/ci.yaml', 'on: push\n');
    put('ci.yaml', 'on: push\n');
    put(`dist/${OUTPUT_RECORD}`, `${RECORD}.github/workflows/ci.yaml\nnode_modules/x/a.yaml\n../ci.yaml\nnotes.txt\n`);
    expect(() => writeOutputDir(out, new Map([['01-resources/app.k8s.yaml', 'kind: ConfigMap\n']]), { displayDir: 'dist' })).toThrowError(
      `dist/${OUTPUT_RECORD} lists '.github/workflows/ci.yaml', 'node_modules/x/a.yaml', '../ci.yaml', 'notes.txt', which synth never writes: the record was edited`,
    );
    expect(read('dist/.github/workflows/ci.yaml')).toBe('on: push\n');
    expect(read('ci.yaml')).toBe('on: push\n');
    expect(read('dist/00-definitions/app.k8s.yaml')).toBe('kind: Namespace\n');
  });

  it('refuses a file given as the folder', () => {
    put('dist', 'not a folder\n');
    expect(() => writeOutputDir(out, FILES, { displayDir: 'dist' })).toThrowError('dist is a file, not a folder');
  });
});

describe('findDrift', () => {
  it('finds nothing in a folder synth just wrote, whatever else is there', () => {
    writeOutputDir(out, FILES);
    put('dist/01-resources/extra.yaml', 'kind: Mine\n');
    put('dist/README.md', 'notes\n');
    expect(findDrift(out, FILES)).toBeUndefined();
  });

  it('reports changed, missing and extra files by the record: its own files only', () => {
    // GIVEN a folder synth wrote, then one file edited, one deleted, and one that synth no longer writes
    writeOutputDir(out, new Map([...FILES, ['01-resources/old.k8s.yaml', 'kind: Old\n']]));
    put('dist/01-resources/app.k8s.yaml', 'kind: Edited\n');
    rmSync(join(out, '00-definitions', 'app.k8s.yaml'));
    put('dist/01-resources/someone-elses.yaml', 'kind: Theirs\n');
    // WHEN it is checked
    const drift = findDrift(out, FILES, 'dist')!;
    // THEN the record says what is whose
    expect(drift).toMatchObject({
      changed: [OUTPUT_RECORD, '01-resources/app.k8s.yaml'],
      missing: ['00-definitions/app.k8s.yaml'],
      extra: ['01-resources/old.k8s.yaml'],
    });
    expect(drift.diff).toContain('--- dist/01-resources/app.k8s.yaml\n+++ dist/01-resources/app.k8s.yaml\n@@ -1,1 +1,1 @@\n-kind: Edited\n+kind: ConfigMap\n');
    expect(drift.diff).toContain('--- dist/01-resources/old.k8s.yaml\n+++ /dev/null\n');
    expect(drift.diff).not.toContain('Theirs');
  });

  it('reports every file missing when the folder does not exist', () => {
    expect(findDrift(out, FILES, 'dist')).toMatchObject({ missing: [OUTPUT_RECORD, ...FILES.keys()], extra: [], changed: [] });
  });

  it('refuses a folder synth did not write, as writing does', () => {
    put('dist/ci.yaml', 'on: push\n');
    expect(() => findDrift(out, FILES, 'dist')).toThrowError(
      `dist is not empty and was not written by imagestreams synth (it holds ci.yaml; synth records its files in dist/${OUTPUT_RECORD})`,
    );
  });
});
