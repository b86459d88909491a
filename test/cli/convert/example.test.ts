import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { REPO_ROOT } from '../../support/temp-app';

const EXAMPLE = join(REPO_ROOT, 'examples', 'from-openshift');

describe('examples/from-openshift', () => {
  it('is what imagestreams convert writes for its OpenShift manifests today', async () => {
    // GIVEN the OpenShift manifests of the example (openshift/)
    // WHEN they are converted again
    const run = await cli(EXAMPLE, 'convert', 'openshift', '-o', '-');
    // THEN the result is the committed main.ts, and its TODOs are the reported fields
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(EXAMPLE, 'main.ts'), 'utf8'));
    expect(run.stderr).toContain('2 fields have no equivalent (each is a TODO(convert) in stdout):\n');
  });
});
