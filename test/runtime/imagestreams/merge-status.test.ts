import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, NamedTagEventList, TagSpec } from '../../../lib/api/imagestream';
import { mergeImportResults, withCondition } from '../../../lib/runtime/imagestreams/merge-status';
import type { TagImportResult } from '../../../lib/runtime/imagestreams/results';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:15:00.000Z';
const FROM = 'registry.example.com/team/app:v1';
const ref = (digest: string) => `registry.example.com/team/app@${digest}`;

function stream(tags: NamedTagEventList[] = [], spec: { tags?: TagSpec[]; historyLimit?: number } = {}): ImageStreamObject {
  return {
    apiVersion: 'imagestreams.dev/v1alpha1',
    kind: 'ImageStream',
    metadata: { name: 'app', generation: 3 },
    spec: { tags: spec.tags ?? [{ name: 'latest', from: { kind: 'DockerImage', name: FROM } }], historyLimit: spec.historyLimit },
    status: { tags },
  };
}
const ok = (digest: string, tag = 'latest', from = FROM): TagImportResult => ({ tag, from, ok: true, image: digest, dockerImageReference: ref(digest) });
const notFound: TagImportResult = { tag: 'latest', from: FROM, ok: false, reason: 'NotFound', message: 'gone' };
const item = (digest: string, created = T0) => ({ dockerImageReference: ref(digest), image: digest, created, generation: 3 });
const success = (time: string) => ({ type: 'ImportSuccess' as const, status: 'True' as const, reason: 'Imported', message: `imported ${A}`, lastTransitionTime: time, generation: 3 });

describe('mergeImportResults', () => {
  it('records the first import as the only item, with ImportSuccess True and lastImportAttempt', () => {
    // GIVEN a stream without status WHEN a digest is imported
    const { status, moved } = mergeImportResults(stream(), [ok(A)], T0);
    // THEN
    expect(status.tags).toEqual([{ tag: 'latest', items: [item(A)], conditions: [success(T0)], lastImportAttempt: T0 }]);
    expect(moved).toEqual(['latest']);
  });

  it('adds no item when the same digest is imported again, but keeps lastTransitionTime and moves lastImportAttempt', () => {
    // GIVEN a tag imported at T0
    const first = mergeImportResults(stream(), [ok(A)], T0).status;
    // WHEN the same digest is imported at T1
    const { status, moved } = mergeImportResults(stream([...first.tags!]), [ok(A)], T1);
    // THEN
    expect(status.tags).toEqual([{ tag: 'latest', items: [item(A)], conditions: [success(T0)], lastImportAttempt: T1 }]);
    expect(moved).toEqual([]);
  });

  it('puts a moved tag\'s new digest in front', () => {
    const { status, moved } = mergeImportResults(stream([{ tag: 'latest', items: [item(A)] }]), [ok(B)], T1);
    expect(status.tags![0].items).toEqual([item(B, T1), item(A)]);
    expect(moved).toEqual(['latest']);
  });

  it('adds an item when a tag moves back to an older digest', () => {
    const { status } = mergeImportResults(stream([{ tag: 'latest', items: [item(B), item(A)] }]), [ok(A)], T1);
    expect(status.tags![0].items!.map((i) => i.image)).toEqual([A, B, A]);
  });

  it('trims history to spec.historyLimit', () => {
    const { status } = mergeImportResults(stream([{ tag: 'latest', items: [item(B), item(A)] }], { historyLimit: 2 }), [ok(C)], T1);
    expect(status.tags![0].items!.map((i) => i.image)).toEqual([C, B]);
  });

  it('trims to 10 items when historyLimit is not set', () => {
    const items = Array.from({ length: 10 }, (_, i) => item(`sha256:${String(i).repeat(64)}`));
    const { status } = mergeImportResults(stream([{ tag: 'latest', items }]), [ok(C)], T1);
    expect(status.tags![0].items).toHaveLength(10);
    expect(status.tags![0].items![0].image).toBe(C);
  });

  it('keeps the last good items on failure, with ImportSuccess False, reason and message', () => {
    // GIVEN a tag imported successfully at T0
    const first = mergeImportResults(stream(), [ok(A)], T0).status;
    // WHEN the next import fails
    const { status, moved } = mergeImportResults(stream([...first.tags!]), [notFound], T1);
    // THEN the items stay and the condition flips, with a new lastTransitionTime
    expect(status.tags).toEqual([{
      tag: 'latest',
      items: [item(A)],
      conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'gone', lastTransitionTime: T1, generation: 3 }],
      lastImportAttempt: T1,
    }]);
    expect(moved).toEqual([]);
  });

  it('keeps lastTransitionTime when a failure repeats with another reason', () => {
    const failed = mergeImportResults(stream(), [notFound], T0).status;
    const again = mergeImportResults(stream([...failed.tags!]), [{ ...notFound, reason: 'Timeout', message: 'slow' }], T1).status;
    expect(again.tags![0].conditions).toEqual([{ type: 'ImportSuccess', status: 'False', reason: 'Timeout', message: 'slow', lastTransitionTime: T0, generation: 3 }]);
    expect(again.tags![0].items).toBeUndefined();
  });

  it('drops status of tags no longer in spec and keeps tags it did not import (e.g. written by builds)', () => {
    // GIVEN status for 'removed' (gone from spec) and 'built' (a build output tag without from)
    const spec = { tags: [{ name: 'latest', from: { kind: 'DockerImage' as const, name: FROM } }, { name: 'built' }] };
    const s = stream([{ tag: 'removed', items: [item(C)] }, { tag: 'built', items: [item(B)] }], spec);
    // WHEN 'latest' is imported
    const { status } = mergeImportResults(s, [ok(A)], T0);
    // THEN 'removed' is gone, 'built' is untouched, order follows spec
    expect(status.tags!.map((t) => t.tag)).toEqual(['latest', 'built']);
    expect(status.tags![1]).toEqual({ tag: 'built', items: [item(B)] });
  });

  it('ignores a result for a tag whose source changed since it was resolved', () => {
    const s = stream([], { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/team/other:v2' } }] });
    expect(mergeImportResults(s, [ok(A)], T0)).toEqual({ status: { tags: [] }, moved: [] });
  });

  it('ignores a result for a tag that was paused (rolled back) since it was resolved', () => {
    // GIVEN a tag rolled back to A and paused while an import of B was in flight
    const paused = { name: 'latest', from: { kind: 'DockerImage' as const, name: FROM }, importPolicy: { paused: true } };
    const s = stream([{ tag: 'latest', items: [item(A), item(B)] }], { tags: [paused] });
    // WHEN the import's result arrives THEN the rollback stands
    expect(mergeImportResults(s, [ok(B)], T1)).toEqual({ status: { tags: [{ tag: 'latest', items: [item(A), item(B)] }] }, moved: [] });
  });

  it('keeps other status fields (observedGeneration)', () => {
    const s = { ...stream(), status: { observedGeneration: 3, tags: [] } };
    expect(mergeImportResults(s, [ok(A)], T0).status.observedGeneration).toBe(3);
  });
});

describe('withCondition', () => {
  it('keeps other condition types', () => {
    const other = { type: 'Other', status: 'True' } as never;
    const next = withCondition([other], { type: 'ImportSuccess', status: 'True' }, T0);
    expect(next).toEqual([other, { type: 'ImportSuccess', status: 'True', lastTransitionTime: T0 }]);
  });

  it("records the tags of spec.dockerImageRepository's import although no spec tag names them, and keeps them while the repository's import lists them", () => {
    // GIVEN a stream naming a repository, with a status tag left by a deleted spec tag
    const repository = 'registry.example.com/team/app';
    const base = { ...stream([{ tag: 'gone', items: [item(C)] }]), spec: { dockerImageRepository: repository, tags: [] } };
    // WHEN the repository's tags 1.0 and 1.1 are imported (and a result from elsewhere for 2.0)
    const merged = mergeImportResults(base, [ok(A, '1.0', `${repository}:1.0`), ok(B, '1.1', `${repository}:1.1`), ok(C, '2.0', 'elsewhere.example.com/x:2.0')], T0);
    // THEN 1.0 and 1.1 are recorded, the deleted tag's status and the foreign result are not
    expect(merged.status.tags?.map((t) => [t.tag, t.items?.[0]?.image])).toEqual([['1.0', A], ['1.1', B]]);
    // AND once status.repositoryImport lists them, a later merge keeps them
    const recorded = { ...base, status: { ...merged.status, repositoryImport: { repository, generation: 3, status: 'True' as const, reason: 'Imported', message: '', lastImportAttempt: T0, tags: ['1.0', '1.1'] } } };
    expect(mergeImportResults(recorded, [], T1).status.tags?.map((t) => t.tag)).toEqual(['1.0', '1.1']);
    // AND without the repository in the spec any more, they are dropped as a deleted tag's are
    expect(mergeImportResults({ ...recorded, spec: { tags: [] } }, [], T1).status.tags).toEqual([]);
  });
});
