import { describe, expect, it } from 'vitest';
import { canonicalize, inApplyOrder, toYamlStream } from '../../lib/compiler/serialize';

describe('canonicalize', () => {
  it('puts apiVersion, kind, metadata, name, namespace first and sorts the rest; drops undefined', () => {
    const out = canonicalize({ spec: { z: 1, name: 'n', a: undefined, b: [{ y: 1, name: 'c' }] }, metadata: { namespace: 'ns', labels: {}, name: 'x' }, kind: 'K', apiVersion: 'v1' });
    expect(JSON.stringify(out)).toBe('{"apiVersion":"v1","kind":"K","metadata":{"name":"x","namespace":"ns","labels":{}},"spec":{"name":"n","b":[{"name":"c","y":1}],"z":1}}');
  });
});

describe('toYamlStream', () => {
  it('quotes strings that YAML 1.1 (kubectl) would read as other types, and separates documents', () => {
    expect(toYamlStream([{ a: 'yes', b: '0777', c: 'plain' }, { d: 1 }])).toBe('a: "yes"\nb: "0777"\nc: plain\n---\nd: 1\n');
  });

  it('never emits anchors for objects that are shared in memory', () => {
    const shared = { x: 1 };
    expect(toYamlStream([{ a: shared, b: shared }])).toBe('a:\n  x: 1\nb:\n  x: 1\n');
  });
});

describe('inApplyOrder', () => {
  it('is stable and ranks CRDs, then Namespaces, then everything else', () => {
    const objs = ['Service', 'Namespace', 'ConfigMap', 'CustomResourceDefinition', 'Namespace'].map((kind, i) => ({ manifest: { kind, i } }));
    expect(inApplyOrder(objs).map((o) => `${o.manifest.kind}${o.manifest.i}`)).toEqual(['CustomResourceDefinition3', 'Namespace1', 'Namespace4', 'Service0', 'ConfigMap2']);
  });
});
