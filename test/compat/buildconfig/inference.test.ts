/**
 * The CRD's rules and lib/api/build-spec.ts read a spec the same way: every combination of source
 * parts and of strategy options, with and without a written type, is created on the real API server,
 * and the server accepts exactly those whose type sourceTypeOf / strategyTypeOf can tell (and that
 * agree with a type written), refusing the combinations the CRD names as unsupported.
 */
import { describe, expect, it } from 'vitest';
import { sourceTypeOf, strategyOf, strategyTypeOf, STRATEGY_FIELDS } from '../../../lib/api/build-spec';
import type { BuildSourceSpec, BuildSourceType, BuildStrategySpec, BuildStrategyType } from '../../../lib/api/buildconfig';
import { GROUP_VERSION } from '../../../lib/api/group';
import { useTestKube } from '../../support/kube';
import { create } from './support';

const kube = useTestKube('compat-bc-infer');

/** Every subset of the object's entries. */
function subsets<T extends object>(parts: T): Partial<T>[] {
  const entries = Object.entries(parts);
  return Array.from({ length: 2 ** entries.length }, (_, mask) => Object.fromEntries(entries.filter((_, i) => mask & (2 ** i))) as Partial<T>);
}

let n = 0;
async function accepted(spec: Record<string, unknown>): Promise<boolean> {
  const res = await create(kube, { apiVersion: GROUP_VERSION, kind: 'BuildConfig', metadata: { name: `infer-${++n}` }, spec });
  expect([201, 422], JSON.stringify(res.body)).toContain(res.status);
  return res.status === 201;
}

const SOURCE_PARTS = {
  git: { uri: 'https://git.example.com/team/app.git' },
  dockerfile: 'FROM scratch\n',
  binary: {},
  images: [{ from: { kind: 'ImageStreamTag', name: 'artifacts:latest' }, paths: [{ sourcePath: '/out/.', destinationDir: 'out' }] }],
} as const;
const SOURCE_TYPES: (BuildSourceType | undefined)[] = [undefined, 'Git', 'Dockerfile', 'Binary', 'Image', 'None'];

const STRATEGY_PARTS = { dockerStrategy: {}, sourceStrategy: {}, buildpacksStrategy: { builder: 'registry.example.com/builder:base' } } as const;
const STRATEGY_TYPES: (BuildStrategyType | undefined)[] = [undefined, 'Docker', 'Source', 'Buildpacks'];

describe('the CRD reads types as build-spec.ts does', () => {
  it('accepts a source exactly when its written type (if any) is the type sourceTypeOf infers, and no unsupported pair is present', async () => {
    const wrong: string[] = [];
    for (const parts of subsets(SOURCE_PARTS)) {
      for (const type of SOURCE_TYPES) {
        const source: BuildSourceSpec = { ...(parts as BuildSourceSpec), ...(type ? { type } : {}) };
        const unsupportedPair = ('dockerfile' in parts && ('git' in parts || 'binary' in parts)) || ('git' in parts && 'binary' in parts);
        const expected = !unsupportedPair && (type === undefined || type === sourceTypeOf(parts as BuildSourceSpec));
        if ((await accepted({ source, strategy: { dockerStrategy: {} } })) !== expected) wrong.push(`${JSON.stringify(source)}: expected ${expected ? 'accepted' : 'refused'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('accepts a strategy exactly when strategyOf can read it, and a written type matches the options present', async () => {
    const wrong: string[] = [];
    for (const parts of subsets(STRATEGY_PARTS)) {
      for (const type of STRATEGY_TYPES) {
        const strategy: BuildStrategySpec = { ...(parts as BuildStrategySpec), ...(type ? { type } : {}) };
        const present = Object.keys(parts);
        const readable = strategyOf(strategy) !== undefined && (strategyTypeOf(strategy) !== 'Buildpacks' || strategy.buildpacksStrategy !== undefined);
        const expected = readable && (type === undefined || present.every((field) => field === STRATEGY_FIELDS[type]));
        if ((await accepted({ source: { git: SOURCE_PARTS.git }, strategy })) !== expected) wrong.push(`${JSON.stringify(strategy)}: expected ${expected ? 'accepted' : 'refused'}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
