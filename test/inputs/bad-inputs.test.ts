import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO_ROOT } from '../support/temp-app';
import { CLI_FILES, CLI_ROWS } from './cli-rows';
import { CONSTRUCT_ROWS, scene } from './construct-rows';

// The table of hand-written bad inputs (issue #13): each row is a mistake a user makes in the
// constructs, on the command line or in the YAML given to convert. None may pass silently, none may
// end in an internal error (a TypeError, "Cannot read properties", our CLI's "internal error"), and
// each error says where (construct path, factory, file or command), the prop or argument, the value
// and the fix — the row's text is a part of it that shows all of that.
const INTERNAL = /internal error|TypeError|ReferenceError|Cannot read propert|is not a function|undefined is not/;
/** Where: a construct path, a factory or call, a file (with line), or the CLI's "error:". */
const LOCATED = /^(?:Validation failed with the following errors:\n\s+)?(?:\[[^\]]+\] |[A-Za-z]+(?:\.[A-Za-z]+)*\([^)]*\):? |'[^']+' is not a tag of its stream|invalid tag policy)/;

describe('bad inputs to the constructs', () => {
  it.each(CONSTRUCT_ROWS.map((row, i) => [i + 1, ...row] as const))('%i: %s', (_, _what, act, says) => {
    let error: unknown;
    try {
      act(scene());
    } catch (e) {
      error = e;
    }
    expect(error, 'passed silently').toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).not.toMatch(INTERNAL);
    expect((error as Error).constructor.name).toBe('Error');
    expect(message).toMatch(LOCATED);
    expect(message).toContain(says);
  });
});

describe('bad command lines and YAML', () => {
  // Inside the checkout (tmp/ is ignored), as the constructs find their package above the bundle.
  let dir: string;
  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'bad-inputs-'));
    for (const [path, content] of Object.entries(CLI_FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CLI_ROWS.map((row, i) => [i + 1, ...row] as const))('%i: %s', async (_, _what, argv, code, says) => {
    const run = await cli(dir, ...argv.map((a) => a.replace(/^@\//, `${dir}/`)));
    expect(run.stderr).not.toMatch(INTERNAL);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(says);
    expect(run.stderr).toMatch(code === 2 ? /\nsee 'imagestreams (?:[a-z-]+ )?--help'\n$/ : /error: /);
  });
});

it('holds at least 150 rows across constructs, CLI and YAML', () => {
  const yaml = CLI_ROWS.filter(([, argv]) => argv[0] === 'convert' && argv.length > 1).length;
  expect({ constructs: CONSTRUCT_ROWS.length >= 100, cli: CLI_ROWS.length - yaml >= 20, yaml: yaml >= 8, total: CONSTRUCT_ROWS.length + CLI_ROWS.length >= 150 })
    .toEqual({ constructs: true, cli: true, yaml: true, total: true });
});
