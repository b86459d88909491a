/** The direction of dependence between the project's folders (see test/support/import-graph.ts). */
import { describe, expect, it } from 'vitest';
import { API_FORBIDDEN_PACKAGES, folderCycles, importGraph, layerOf, violations, type ImportEdge } from '../support/import-graph';
import { REPO_ROOT } from '../support/temp-app';

describe('the direction of dependence', () => {
  const { local, packages } = importGraph(REPO_ROOT, ['lib', 'constructs']);

  it('reads a real import graph (the rules below have something to check)', () => {
    expect(local.length).toBeGreaterThan(300);
    expect(local).toContainEqual(expect.objectContaining({ from: 'constructs/buildconfig/build-config.ts', to: 'lib/api/build-run.ts' }));
  });

  it('has every import going the allowed way: constructs and lib/runtime depend on lib/api, never on each other', () => {
    expect(violations(local)).toEqual([]);
  });

  it('has no cycles between folders', () => {
    expect(folderCycles(local)).toEqual([]);
  });

  it('keeps lib/api free of cdk8s and I/O', () => {
    const offending = packages.filter((e) => layerOf(e.from) === 'lib/api' && API_FORBIDDEN_PACKAGES.test(e.to));
    expect(offending.map((e) => `${e.from} imports ${e.to}`)).toEqual([]);
  });

  it('reports an import against the rules and a cycle between folders (the checks can fail)', () => {
    // GIVEN a construct importing the runtime, and two folders importing each other
    const edges: ImportEdge[] = [
      { from: 'constructs/imagestream/tag.ts', to: 'lib/runtime/controller/manager.ts', specifier: '../../lib/runtime/controller/manager' },
      { from: 'constructs/system/system.ts', to: 'constructs/imagestream/tag.ts', specifier: '../imagestream/tag' },
      { from: 'constructs/imagestream/tag.ts', to: 'constructs/system/system.ts', specifier: '../system/system' },
    ];
    // THEN both are reported
    expect(violations(edges)).toEqual(['constructs/imagestream/tag.ts imports lib/runtime/controller/manager.ts (constructs may not depend on lib/runtime)']);
    expect(folderCycles(edges)).toEqual(['constructs/imagestream -> constructs/system -> constructs/imagestream']);
  });
});
