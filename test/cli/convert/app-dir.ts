import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../support/temp-app';

/**
 * A folder for a generated app inside the repository (its git-ignored tmp/), whose tsconfig maps
 * cdk8s-imagestreams to the constructs' sources, as an installed package would resolve it, for
 * `imagestreams check` and `imagestreams synth` alike.
 */
export function appDir(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', skipLibCheck: true, noEmit: true, esModuleInterop: true, types: ['node'],
      paths: { 'cdk8s-imagestreams': [resolve(REPO_ROOT, 'constructs/index.ts')] },
    },
  }));
  return dir;
}
