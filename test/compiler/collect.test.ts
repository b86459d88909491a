import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Node } from 'constructs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthesize } from '../../lib/compiler/synth';
import { scaleAppSource, type ScaleAppSize } from '../support/scale-app';
import { REPO_ROOT } from '../support/temp-app';

/**
 * The shape of synthesis, counted rather than timed: how often each construct is validated, and how
 * many constructs are visited in walks of the tree (`node.children`, which findAll and every other
 * walk read), for generated platform apps — ImageStreams, BuildConfigs, aliases and cdk8s-plus
 * Deployments following them, one chart per namespace — of growing size.
 */
interface Counts {
  readonly constructs: number;
  readonly validations: Map<string, number>;
  childrenReads: number;
}

let counts: Counts | undefined;
const originalValidate = Node.prototype.validate;
const childrenGetter = Object.getOwnPropertyDescriptor(Node.prototype, 'children')!.get!;

beforeEach(() => {
  Node.prototype.validate = function countedValidate(this: Node) {
    if (counts) counts.validations.set(this.path, (counts.validations.get(this.path) ?? 0) + 1);
    return originalValidate.call(this);
  };
  Object.defineProperty(Node.prototype, 'children', {
    configurable: true,
    get(this: Node) {
      if (counts) counts.childrenReads++;
      return childrenGetter.call(this);
    },
  });
});
afterEach(() => {
  Node.prototype.validate = originalValidate;
  Object.defineProperty(Node.prototype, 'children', { configurable: true, get: childrenGetter });
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const dirs: string[] = [];
/**
 * Synthesizes a generated app through the compiler (bundled, run, validated, rendered) and counts.
 * The app is inside the repository (its git-ignored tmp/), so that its import of cdk8s-imagestreams
 * is the constructs' sources, as for the examples.
 */
async function synthCounted(size: ScaleAppSize): Promise<Counts> {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  const dir = mkdtempSync(join(REPO_ROOT, 'tmp', 'scale-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'main.ts'), scaleAppSource(size));
  const counted: Counts = { constructs: 0, validations: new Map(), childrenReads: 0 };
  counts = counted;
  try {
    await synthesize('main.ts', { cwd: dir, noCache: true });
  } finally {
    counts = undefined;
  }
  return { ...counted, constructs: counted.validations.size };
}

const small: ScaleAppSize = { streams: 20, builds: 6, deployments: 20, namespaces: 2 };
const times = (size: ScaleAppSize, k: number): ScaleAppSize => ({
  streams: size.streams * k, builds: size.builds * k, deployments: size.deployments * k, namespaces: size.namespaces * k,
});

describe('collectCharts', () => {
  it('validates every construct once per app, however many charts the app has', async () => {
    // GIVEN a platform app of 8 team charts and the System's
    // WHEN the compiler synthesizes it
    const { validations, constructs } = await synthCounted(times(small, 4));
    // THEN each construct was validated exactly once (cdk8s validates the whole app again for every chart it renders)
    expect(constructs).toBeGreaterThan(500);
    const twice = [...validations].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
  }, 120_000);

  it('walks the tree in proportion to its size: four times the app, at most 4.5 times the visits', async () => {
    // GIVEN a platform app and one four times its size (streams, BuildConfigs, Deployments and charts)
    // WHEN both are synthesized
    const one = await synthCounted(small);
    const four = await synthCounted(times(small, 4));
    // THEN the constructs visited by walks grow with the app, not with its square: checks look up
    // streams, builds, Systems and Namespaces in an index of the app, never by a walk per construct
    expect(four.constructs / one.constructs).toBeGreaterThan(3.5);
    expect(four.childrenReads / one.childrenReads).toBeLessThanOrEqual(4.5);
  }, 120_000);

});
