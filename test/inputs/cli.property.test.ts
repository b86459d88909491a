import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO_ROOT } from '../support/temp-app';
import { validateManifests } from '../support/validate-manifests';
import { CLI_FILES } from './cli-rows';

// Property: any command line built from the CLI's commands, options and arguments (known and
// unknown, files that exist, are missing, are folders or sit under a file) exits 0, 1 (an error
// naming what is wrong, "error: …") or 2 (a usage error pointing at a --help), never 3 or an
// internal error; and what `synth` wrote when it succeeded passes validate-manifests.
const RUNS = 40;
const INTERNAL = /internal error|TypeError|ReferenceError|Cannot read propert|is not a function/;

const path = fc.constantFrom('main.ts', 'interval.ts', 'empty.ts', 'syntax.ts', 'types.ts', 'missing.ts', 'afile', 'afile/x.ts', 'empty-dir', 'bad.yaml', 'number.yaml', 'list.yaml', 'notes.txt', '-', '', '.');
const value = fc.oneof(path, fc.string({ maxLength: 6 }), fc.constantFrom('chart', 'resource', 'mermaid', 'dot', 'Docker', 'team', 'Team A'));
const option = fc.oneof(
  fc.constantFrom('--check', '--stdout', '--take-over', '--no-cache', '--force', '--help', '--verbose', '-h', '--bogus', '-z', '--'),
  fc.tuple(fc.constantFrom('--out', '-o', '--layout', '--format', '--affected', '--namespace', '-n', '--name', '--strategy', '--ref', '--out='), value).map(([o, v]) => (o.endsWith('=') ? [`${o}${v}`] : [o, v])),
).map((o) => (Array.isArray(o) ? o : [o]));
const command = fc.constantFrom('synth', 'synth', 'synth', 'convert', 'graph', 'new-app', 'check', 'help', '--version', 'sytnh', 'describe', 'get', 'import-image');
const argv = fc.tuple(command, fc.array(fc.oneof(value.map((v) => [v]), option), { maxLength: 4 })).map(([c, rest]) => [c, ...rest.flat()]);

describe('CLI arguments (property)', () => {
  let dir: string;
  const outs: string[] = [];
  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'cli-property-'));
    for (const [file, content] of Object.entries(CLI_FILES)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`exits 0, 1 with an error or 2 with a pointer to --help, never an internal error (${RUNS} runs)`, async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(argv, async (args) => {
      // Cluster commands never reach a cluster: no kubeconfig.
      const offline = ['describe', 'get', 'import-image'].includes(args[0]) ? [...args, '--kubeconfig', join(dir, 'no-kubeconfig')] : args;
      const out = `out-${n++}`;
      const synth = offline[0] === 'synth' && !offline.some((a) => a === '--out' || a === '-o' || a.startsWith('--out=') || a === '--check' || a === '--stdout');
      const run = await cli(dir, ...offline, ...(synth ? ['--out', out] : []));
      expect(run.stderr).not.toMatch(INTERNAL);
      expect([0, 1, 2]).toContain(run.code);
      if (run.code === 2) expect(run.stderr).toMatch(/\nsee 'imagestreams (?:[a-z-]+ )?--help'\n$|^Usage: imagestreams/);
      if (run.code === 1) expect(run.stderr).toMatch(/error: /);
      if (synth && run.code === 0 && existsSync(join(dir, out))) outs.push(join(dir, out));
    }), { numRuns: RUNS, seed: 13 });
  }, 600_000);

  it('what synth wrote passes validate-manifests', async () => {
    expect(outs.length).toBeGreaterThan(0);
    // One app's output: every run of main.ts writes the same System, which the validator would count twice.
    const result = await validateManifests([outs[0]], []);
    expect(result.output).toMatch(/: 0 errors, /);
    expect(result.code).toBe(0);
  }, 600_000);
});
