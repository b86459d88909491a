import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlPlaneKey, findControlPlaneBinaries, moduleKey } from './binaries';

const script = resolve(__dirname, '..', '..', '..', 'scripts', 'build-control-plane.sh');

describe('the control-plane binaries', () => {
  it('are looked up under the key scripts/build-control-plane.sh builds them under', () => {
    const fromScript = execFileSync(script, ['--print-key'], { encoding: 'utf8' }).trim();
    expect(controlPlaneKey()).toBe(fromScript);
  });

  it("hash a module's files as `sha256sum` lists them (nested paths, byte order, hidden files left out)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'module-key-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module x\n');
      writeFileSync(join(dir, 'B.go'), 'package x\n');
      writeFileSync(join(dir, '.hidden'), 'ignored\n');
      execFileSync('mkdir', ['-p', join(dir, 'a', 'b')]);
      writeFileSync(join(dir, 'a', 'b', 'c.go'), 'package b\n');
      const listing = execFileSync(
        'bash',
        ['-c', "find . -type f ! -path '*/.*' -print0 | LC_ALL=C sort -z | xargs -0r sha256sum | sha256sum | cut -c1-64"],
        { cwd: dir, encoding: 'utf8' },
      ).trim();
      expect(moduleKey(dir)).toBe(listing);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are refused, saying how to build them, when the cache lacks them', () => {
    const saved = process.env.IMAGESTREAMS_CONTROL_PLANE_CACHE;
    process.env.IMAGESTREAMS_CONTROL_PLANE_CACHE = join(tmpdir(), 'no-such-control-plane-cache');
    try {
      expect(() => findControlPlaneBinaries()).toThrow(/Run scripts\/install-test-deps\.sh/);
    } finally {
      if (saved === undefined) delete process.env.IMAGESTREAMS_CONTROL_PLANE_CACHE;
      else process.env.IMAGESTREAMS_CONTROL_PLANE_CACHE = saved;
    }
  });
});
