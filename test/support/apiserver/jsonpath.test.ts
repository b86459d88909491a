import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from './jsonpath';

const doc = {
  metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
  status: {
    tags: [{ tag: 'latest', items: [{ image: 'sha256:1' }, { image: 'sha256:0' }] }],
    conditions: [
      { type: 'Ready', status: 'False' },
      { type: 'Succeeded', status: 'True' },
    ],
  },
};

describe('evaluateJsonPath', () => {
  it('follows fields and indexes', () => {
    expect(evaluateJsonPath('.status.tags[0].items[0].image', doc)).toEqual(['sha256:1']);
  });

  it('accepts braces and quoted keys', () => {
    expect(evaluateJsonPath("{.metadata.labels['app.kubernetes.io/name']}", doc)).toEqual(['web']);
  });

  it('filters list items', () => {
    expect(evaluateJsonPath('.status.conditions[?(@.type=="Succeeded")].status', doc)).toEqual(['True']);
  });

  it('expands [*]', () => {
    expect(evaluateJsonPath('.status.tags[0].items[*].image', doc)).toEqual(['sha256:1', 'sha256:0']);
  });

  it('returns nothing for a missing path', () => {
    expect(evaluateJsonPath('.status.tags[3].items', doc)).toEqual([]);
  });

  it('rejects syntax it does not know', () => {
    expect(() => evaluateJsonPath('.a..b', doc)).toThrowError('unsupported JSONPath: .a..b');
  });
});
