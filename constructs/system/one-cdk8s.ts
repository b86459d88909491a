import { dirname, sep } from 'node:path';
import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * Refuses an app made with another copy of cdk8s than the one these constructs load (a nested
 * node_modules/cdk8s, `npm link`): cdk8s tells its own objects (Lazy values, ApiObjects) apart by
 * `instanceof`, so objects of two copies fail at synthesis with "can't render non-simple object".
 */
export function checkOneCdk8s(scope: IConstruct): void {
  const root = scope.node.root;
  if (root instanceof App || root.constructor?.name !== 'App') return;
  throw new Error(`[${scope.node.path}] this app was made with another copy of cdk8s (${packageDirOf(root.constructor) ?? 'unknown'}) than the one cdk8s-imagestreams loads (${dirname(dirname(require.resolve('cdk8s')))}): cdk8s is a peer dependency and must be installed once. Remove the nested copy (npm dedupe, or reinstall without --legacy-peer-deps), or install the package from its tarball rather than a link to a checkout`);
}

/** The folder of the loaded package whose exports include `exported` (found in require's cache). */
function packageDirOf(exported: unknown): string | undefined {
  const module = Object.values(require.cache).find((m) => m?.exports && (m.exports as Record<string, unknown>).App === exported);
  if (!module) return undefined;
  const at = module.filename.lastIndexOf(`${sep}node_modules${sep}cdk8s${sep}`);
  return at < 0 ? dirname(module.filename) : module.filename.slice(0, at + `${sep}node_modules${sep}cdk8s`.length);
}
