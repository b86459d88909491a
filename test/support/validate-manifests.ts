/** The shared manifest quality gate, found beside the repository (../shared), as CI places it. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './temp-app';

/** `../shared/tools/validate-manifests/run` next to the repository; VALIDATE_MANIFESTS overrides the path. */
export const VALIDATOR = process.env.VALIDATE_MANIFESTS ?? resolve(REPO_ROOT, '..', 'shared', 'tools', 'validate-manifests', 'run');

/** Runs the validator on `paths` with `flags`; fails clearly when the shared tools are not beside the repository. */
export function validateManifests(paths: readonly string[], flags: readonly string[] = ['--require-restricted']): Promise<{ code: number; output: string }> {
  if (!existsSync(VALIDATOR)) {
    throw new Error(`the manifest validator is not at ${VALIDATOR}: put the project's shared tools beside the repository (../shared), or set VALIDATE_MANIFESTS`);
  }
  return new Promise((done) => {
    execFile(VALIDATOR, [...flags, ...paths], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}
