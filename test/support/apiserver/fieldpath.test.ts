import { describe, expect, it } from 'vitest';
import { fromFieldsV1, pathString, removeAt, toFieldSet, toFieldsV1, valueAt } from './fieldpath';
import { builtinListType } from './list-types';

const pod = {
  metadata: { labels: { app: 'a' }, finalizers: ['x'] },
  spec: { containers: [{ name: 'app', image: 'i', args: ['--v'], ports: [{ containerPort: 80, protocol: 'TCP' }] }], volumes: [], nodeSelector: {} },
};

describe('field sets', () => {
  it('serializes to kube\'s fieldsV1: f: fields, k: keyed items with ".", v: set values, atomic lists and empty maps as leaves', () => {
    expect(toFieldsV1(toFieldSet(pod, builtinListType))).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:finalizers': { 'v:"x"': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {},
            'f:name': {},
            'f:image': {},
            'f:args': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
        'f:nodeSelector': {},
      },
    });
  });

  it('round-trips through fieldsV1', () => {
    const set = toFieldSet(pod, builtinListType);
    expect(fromFieldsV1(toFieldsV1(set))).toEqual(set);
  });

  it('reads and removes values by path, and prints paths as conflicts do', () => {
    const doc = structuredClone(pod);
    const path = ['f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'];
    expect(valueAt(doc, path)).toBe('i');
    expect(pathString(path)).toBe('.spec.containers[name="app"].image');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
    removeAt(doc, ['f:spec', 'f:containers', 'k:{"name":"app"}']);
    expect(doc.spec.containers).toEqual([]);
  });
});
