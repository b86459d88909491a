/**
 * `imagestreams convert` over hand-written OpenShift 4 inputs (inputs/): each converted app
 * type-checks, synthesizes with `imagestreams synth`, and carries the same information as its input
 * (round-trip.ts), every field it can't carry reported.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cli } from '../../support/cli';
import { REPO_ROOT } from '../../support/temp-app';
import { appDir } from './app-dir';
import { compareRoundTrip, expandInputs, parseFindings } from './round-trip';

const INPUTS = join(__dirname, 'inputs');
const FILES = readdirSync(INPUTS).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

let root: string;
beforeAll(() => {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  root = mkdtempSync(join(REPO_ROOT, 'tmp', 'convert-'));
  process.env.IMAGESTREAMS_CACHE_DIR = join(root, '.cache');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('imagestreams convert: round trip over OpenShift 4 inputs', () => {
  it('has at least 25 inputs', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(FILES)('%s: converts, type-checks, synthesizes, and carries every field or reports it', async (file) => {
    // GIVEN the OpenShift input
    const dir = appDir(root, file.replace(/\.\w+$/, ''));
    const input = join(INPUTS, file);
    // WHEN it is converted
    const converted = await cli(dir, 'convert', input, '-o', 'main.ts');
    expect(converted.code, converted.stderr).toBe(0);
    const code = readFileSync(join(dir, 'main.ts'), 'utf8');
    // THEN the app type-checks and synthesizes
    const checked = await cli(dir, 'check', 'main.ts');
    expect(checked.stderr).toBe('');
    const synth = await cli(dir, 'synth', 'main.ts', '--stdout');
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    // AND every field of every input object is in the manifests, or reported
    const outputs = parseAllDocuments(synth.stdout).map((d) => d.toJS()).filter(Boolean);
    const inputs = expandInputs(parseAllDocuments(readFileSync(input, 'utf8')).map((d) => d.toJS()));
    const findings = parseFindings(converted.stderr);
    expect(compareRoundTrip(inputs, outputs, findings)).toEqual([]);
    // AND each reported field is a TODO(convert) in the code, by its path
    for (const f of findings.filter((x) => !x.object.startsWith('Template/'))) expect(code, `${f.object} ${f.field}`).toContain(`// TODO(convert): ${f.field}: `);
    expect(converted.stderr).toContain(`converted ${inputs.length + (code.match(/^export class /gm)?.length ?? 0)} object`);
  }, 120_000);
});
