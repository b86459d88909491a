import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, NamedTagEventList, TagSpec } from '../../../lib/api/imagestream';
import { tagsAwaitingImport, tagsToImport } from '../../../lib/runtime/importer/select-tags';

const NOW = Date.parse('2026-01-01T01:00:00.000Z');
const A = `sha256:${'a'.repeat(64)}`;
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

function stream(tags: TagSpec[], status: NamedTagEventList[] = []): ImageStreamObject {
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 's' }, spec: { tags }, status: { tags: status } };
}
const image = (name: string, extra: Partial<TagSpec> = {}): TagSpec => ({ name, from: { kind: 'DockerImage', name: `example.com/app:${name}` }, ...extra });
const names = (tags: TagSpec[]) => tags.map((t) => t.name);

describe('tagsToImport', () => {
  it('selects DockerImage tags, not aliases, reference-only, paused or build-only tags', () => {
    // GIVEN one tag of each kind
    const s = stream([
      image('plain'),
      { name: 'alias', from: { kind: 'ImageStreamTag', name: 'other:latest' } },
      image('ref', { reference: true }),
      image('paused', { importPolicy: { paused: true } }),
      { name: 'built' },
    ]);
    // WHEN all importable tags are selected THEN only the plain one is
    expect(names(tagsToImport(s, { now: NOW }))).toEqual(['plain']);
  });

  it('with scheduled, selects only scheduled tags whose interval has elapsed', () => {
    const s = stream(
      [
        image('never-imported', { importPolicy: { scheduled: true } }),
        image('default-due', { importPolicy: { scheduled: true } }),
        image('default-not-due', { importPolicy: { scheduled: true } }),
        image('custom-due', { importPolicy: { scheduled: true, intervalSeconds: 60 } }),
        image('custom-not-due', { importPolicy: { scheduled: true, intervalSeconds: 3600 } }),
        image('unscheduled'),
      ],
      [
        { tag: 'default-due', lastImportAttempt: minutesAgo(15) },
        { tag: 'default-not-due', lastImportAttempt: minutesAgo(14) },
        { tag: 'custom-due', lastImportAttempt: minutesAgo(1) },
        { tag: 'custom-not-due', lastImportAttempt: minutesAgo(59) },
      ],
    );
    expect(names(tagsToImport(s, { scheduled: true, now: NOW }))).toEqual(['never-imported', 'default-due', 'custom-due']);
  });

  it('with scheduled, imports a tag whose next run would be late, even if its interval has not quite elapsed', () => {
    // GIVEN a stream whose only tag imports every 15 min (its CronJob fires every 15 min), last imported
    // 14 min 50 s ago: this run started 10 s earlier after its period than the last one did
    const tag = image('latest', { importPolicy: { scheduled: true, intervalSeconds: 900 } });
    const at = (secondsAgo: number) => [{ tag: 'latest', lastImportAttempt: new Date(NOW - secondsAgo * 1000).toISOString() }];
    // THEN it is due now (waiting for the next run would make the gap 30 min), but not 5 s after an import
    expect(names(tagsToImport(stream([tag], at(890)), { scheduled: true, now: NOW }))).toEqual(['latest']);
    expect(names(tagsToImport(stream([tag], at(5)), { scheduled: true, now: NOW }))).toEqual([]);
  });

  it('without scheduled, selects every importable tag whether due or not', () => {
    const s = stream([image('a', { importPolicy: { scheduled: true } }), image('b')], [{ tag: 'a', lastImportAttempt: minutesAgo(1) }]);
    expect(names(tagsToImport(s, { now: NOW }))).toEqual(['a', 'b']);
  });

  it('imports a digest-pinned tag until its digest is recorded, then leaves it alone', () => {
    const pinned: TagSpec = { name: 'pinned', from: { kind: 'DockerImage', name: `example.com/app@${A}` } };
    expect(names(tagsToImport(stream([pinned]), { now: NOW }))).toEqual(['pinned']);
    const recorded = [{ tag: 'pinned', items: [{ dockerImageReference: `example.com/app@${A}`, image: A, created: minutesAgo(5) }] }];
    expect(names(tagsToImport(stream([pinned], recorded), { now: NOW }))).toEqual([]);
  });
});

describe('tagsAwaitingImport', () => {
  const attempted = (tag: string, generation: number): NamedTagEventList => ({ tag, conditions: [{ type: 'ImportSuccess', status: 'True', generation }] });
  const at = (generation: number, tags: TagSpec[], status: NamedTagEventList[]): ImageStreamObject => ({ ...stream(tags, status), metadata: { name: 's', generation } });

  it("imports a tag again when a client bumps its generation (OpenShift's way to ask for a new import): the spec changed", () => {
    // GIVEN latest imported at generation 2; WHEN a client sets its generation to 3 (the API server makes the stream's 3)
    expect(names(tagsAwaitingImport(at(2, [image('latest', { generation: 2 })], [attempted('latest', 2)])))).toEqual([]);
    expect(names(tagsAwaitingImport(at(3, [image('latest', { generation: 3 })], [attempted('latest', 2)])))).toEqual(['latest']);
  });

  it('does not import over and over a tag whose generation, copied from another cluster, is ahead of the stream', () => {
    expect(names(tagsAwaitingImport(at(1, [image('latest', { generation: 7 })], [attempted('latest', 1)])))).toEqual([]);
  });

  it('selects tags from an ImageStreamImage until their image is recorded at this generation', () => {
    const pin: TagSpec = { name: 'pin', from: { kind: 'ImageStreamImage', name: `app@${A}` } };
    expect(names(tagsAwaitingImport(at(1, [pin], [])))).toEqual(['pin']);
    expect(names(tagsAwaitingImport(at(1, [pin], [attempted('pin', 1)])))).toEqual([]);
    expect(names(tagsToImport(at(1, [pin], []), { now: NOW }))).toEqual([]);
  });
});
