import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * This package's root folder, found by walking up from this file: the same code runs from
 * lib/ (sources, under vitest or tsx) and from build/lib/ (the published JavaScript).
 */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'cdk8s-imagestreams') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the cdk8s-imagestreams package above ${from}`);
  }
}

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
}
