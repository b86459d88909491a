import { describe, expect, it } from 'vitest';
import { fieldSelector, labelSelector, selectedName } from './selectors';
import { KubeObject } from './types';

const obj = (labels: Record<string, string>, name = 'n', namespace = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels } });
const names = (sel: string, objects: KubeObject[]): string[] => objects.filter(labelSelector(sel)).map((o) => o.metadata.name ?? '');

describe('labelSelector', () => {
  const objects = [obj({ app: 'web', tier: 'front' }, 'a'), obj({ app: 'db' }, 'b'), obj({}, 'c')];

  it('supports = and ==', () => {
    expect(names('app=web', objects)).toEqual(['a']);
    expect(names('app==db', objects)).toEqual(['b']);
  });

  it('supports != (matching objects without the label)', () => {
    expect(names('app!=web', objects)).toEqual(['b', 'c']);
  });

  it('supports in and notin', () => {
    expect(names('app in (web, db)', objects)).toEqual(['a', 'b']);
    expect(names('app notin (web)', objects)).toEqual(['b', 'c']);
  });

  it('supports exists and !key', () => {
    expect(names('tier', objects)).toEqual(['a']);
    expect(names('!tier', objects)).toEqual(['b', 'c']);
  });

  it('ANDs comma-separated requirements', () => {
    expect(names('app in (web,db),!tier', objects)).toEqual(['b']);
  });

  it('rejects what it cannot parse', () => {
    expect(() => labelSelector('app in web')).toThrowError("unable to parse requirement: found 'app in web', expected: in, notin, =, ==, !=, gt, lt");
  });
});

describe('fieldSelector', () => {
  it('matches metadata.name and metadata.namespace', () => {
    const match = fieldSelector('metadata.name=a,metadata.namespace!=kube-system');
    expect([obj({}, 'a'), obj({}, 'b'), obj({}, 'a', 'kube-system')].map(match)).toEqual([true, false, false]);
  });

  it('rejects other fields', () => {
    expect(() => fieldSelector('spec.x=1')).toThrowError('field label not supported: spec.x');
  });

  it('extracts a selected name for direct lookups', () => {
    expect(selectedName('metadata.name=foo')).toBe('foo');
    expect(selectedName('metadata.name!=foo')).toBeUndefined();
  });
});
