import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, NamedTagEventList, TagSpec } from '../../../lib/api/imagestream';
import { history, prependItem, specTag } from '../../../lib/cli/imagestream/history';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const item = (n: number, created = '2026-01-01T00:00:00.000Z') => ({ dockerImageReference: `r/app@${digest(n)}`, image: digest(n), created });
const NOW = '2026-02-01T00:00:00.000Z';

function stream(status: NamedTagEventList[], tags: TagSpec[] = [{ name: 'a' }, { name: 'b' }], historyLimit?: number): ImageStreamObject {
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 's', namespace: 'ns', generation: 4 }, spec: { tags, historyLimit }, status: { tags: status, observedGeneration: 3 } };
}

describe('prependItem', () => {
  it('puts the image in front as a new item created now, with the generation', () => {
    const { status, moved } = prependItem(stream([{ tag: 'a', items: [item(1)] }]), 'a', item(2), NOW);
    expect(status).toEqual({ observedGeneration: 3, tags: [{ tag: 'a', items: [{ ...item(2, NOW), generation: 4 }, item(1)] }] });
    expect(moved).toBe(true);
  });

  it('adds nothing when the image is the newest already', () => {
    const { status, moved } = prependItem(stream([{ tag: 'a', items: [item(1)] }]), 'a', item(1), NOW);
    expect(status.tags![0].items).toEqual([item(1)]);
    expect(moved).toBe(false);
  });

  it('creates the tag\'s list in spec order and trims to historyLimit', () => {
    const { status } = prependItem(stream([{ tag: 'b', items: [item(1)] }], undefined, 1), 'a', item(2), NOW);
    expect(status.tags!.map((t) => [t.tag, t.items!.map((i) => i.image)])).toEqual([['a', [digest(2)]], ['b', [digest(1)]]]);
    const trimmed = prependItem(stream([{ tag: 'b', items: [item(1)] }], undefined, 1), 'b', item(3), NOW).status;
    expect(trimmed.tags![0].items!.map((i) => i.image)).toEqual([digest(3)]);
  });

  it('keeps conditions unless told to drop them', () => {
    const conditions = [{ type: 'ImportSuccess' as const, status: 'False' as const, reason: 'NotFound' }];
    const s = stream([{ tag: 'a', items: [item(1)], conditions, lastImportAttempt: NOW }]);
    expect(prependItem(s, 'a', item(2), NOW).status.tags![0].conditions).toEqual(conditions);
    expect(prependItem(s, 'a', item(2), NOW, true).status.tags![0]).toEqual({ tag: 'a', items: [{ ...item(2, NOW), generation: 4 }, item(1)], lastImportAttempt: NOW });
  });
});

describe('prependItem at the generation of a spec write', () => {
  const at = (n: number, generation: number) => ({ ...item(n, NOW), generation });

  it('puts each image where its spec write falls, whatever order the status writes come in', () => {
    // GIVEN tag writes at generations 5, 6 and 7 whose status writes land 7, 5, 6
    let s = stream([{ tag: 'a', items: [item(1)] }]);
    for (const [n, generation] of [[7, 7], [5, 5], [6, 6]]) s = { ...s, status: prependItem(s, 'a', item(n), NOW, true, generation).status };
    // THEN history is 7, 6, 5, then the older item
    expect(s.status!.tags![0].items).toEqual([at(7, 7), at(6, 6), at(5, 5), item(1)]);
  });

  it('adds nothing for a repeated write, or for the image the newer neighbour already is', () => {
    const s = stream([{ tag: 'a', items: [at(2, 6), at(1, 5)] }]);
    expect(prependItem(s, 'a', item(2), NOW, true, 6)).toMatchObject({ moved: false, status: { tags: [{ items: [at(2, 6), at(1, 5)] }] } });
    expect(prependItem(s, 'a', item(2), NOW, true, 7)).toMatchObject({ moved: false, status: { tags: [{ items: [at(2, 6), at(1, 5)] }] } });
    expect(prependItem(s, 'a', item(3), NOW, true, 7)).toMatchObject({ moved: true, status: { tags: [{ items: [at(3, 7), at(2, 6), at(1, 5)] }] } });
  });
});

describe('specTag and history', () => {
  it('finds the spec tag or names what is missing', () => {
    expect(specTag(stream([]), 'b')).toEqual({ name: 'b' });
    expect(() => specTag(stream([]), 'c')).toThrowError('tag "c" not found in imagestream "s" (namespace "ns")');
  });

  it('reads a tag\'s history, empty when it has none', () => {
    expect(history(stream([{ tag: 'a', items: [item(1)] }]), 'a')).toEqual([item(1)]);
    expect(history(stream([{ tag: 'a' }]), 'a')).toEqual([]);
    expect(history(stream([]), 'b')).toEqual([]);
  });
});
