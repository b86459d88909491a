import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, TagEvent } from '../../lib/api/imagestream';
import { capStatus, historyMayOverflow, jsonBytes, MAX_STREAM_BYTES } from '../../lib/api/object-size';

const item = (tag: string, n: number): TagEvent => ({
  dockerImageReference: `registry.example.com/${'team/'.repeat(40)}${tag}@sha256:${n.toString(16).padStart(64, '0')}`,
  image: `sha256:${n.toString(16).padStart(64, '0')}`,
  created: '2026-01-01T00:00:00Z',
  generation: n,
});
const stream: ImageStreamObject = { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 's', namespace: 'ns' }, spec: { historyLimit: 1000 } };

describe('capStatus', () => {
  it('keeps a status that fits as it is', () => {
    const status = { tags: [{ tag: 'a', items: [item('a', 1), item('a', 2)] }] };
    expect(capStatus(stream, status)).toBe(status);
  });

  it('drops the oldest items of the longest histories until the stream fits in 1 MiB, never a tag\'s newest', () => {
    // GIVEN 20 tags with 1000 items each (the 2.15 MB case seen in a cluster, and more)
    const status = { tags: Array.from({ length: 20 }, (_, t) => ({ tag: `t${t}`, items: Array.from({ length: 1000 }, (_, i) => item(`t${t}`, i)) })) };
    expect(jsonBytes({ ...stream, status })).toBeGreaterThan(5 * MAX_STREAM_BYTES);
    // WHEN capped
    const capped = capStatus(stream, status);
    // THEN the whole stream fits, every tag keeps its newest items, and the histories are trimmed evenly from the old end
    expect(jsonBytes({ ...stream, status: capped })).toBeLessThanOrEqual(MAX_STREAM_BYTES);
    const lengths = capped.tags!.map((t) => t.items!.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    for (const [t, list] of capped.tags!.entries()) expect(list.items!.map((i) => i.generation)).toEqual(status.tags[t].items.slice(0, list.items!.length).map((i) => i.generation));
  });
});

describe('historyMayOverflow', () => {
  it('says when a history limit times the tags can pass the budget', () => {
    expect(historyMayOverflow(10, 10)).toBe(false);
    expect(historyMayOverflow(20, 1000)).toBe(true);
    expect(historyMayOverflow(1, 1997)).toBe(false);
    expect(historyMayOverflow(1, 1998)).toBe(true);
  });
});
