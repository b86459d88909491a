import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { gitFetchTask } from '../../../../lib/api/build-pipeline/tasks';
import { SharedBuildObjects, sharedTaskName, stableJson } from '../../../../constructs/buildconfig/pipeline/shared-tasks';

describe('stableJson', () => {
  it('ignores key order and undefined fields, keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
  });
});

describe('sharedTaskName', () => {
  it('carries a short hash of the spec, so different versions never clash', () => {
    const task = gitFetchTask();
    const changed = { ...task, description: 'another version' };
    expect(sharedTaskName('git-fetch', task)).toMatch(/^git-fetch-[0-9a-f]{8}$/);
    expect(sharedTaskName('git-fetch', { ...task })).toBe(sharedTaskName('git-fetch', task));
    expect(sharedTaskName('git-fetch', changed)).not.toBe(sharedTaskName('git-fetch', task));
  });
});

describe('SharedBuildObjects', () => {
  it('is one per namespace across the charts of an app, emitting each Task and the ServiceAccount once', () => {
    // GIVEN two charts asking for the same namespace's objects, and one for another namespace
    const app = Testing.app();
    const first = new Chart(app, 'first');
    const second = new Chart(app, 'second');
    const a = SharedBuildObjects.in(first, 'seed');
    const b = SharedBuildObjects.in(second, 'seed');
    const other = SharedBuildObjects.in(second, 'other');
    // WHEN each asks for the same Task and the ServiceAccount
    const names = [a.taskName('git-fetch', gitFetchTask()), b.taskName('git-fetch', gitFetchTask()), other.taskName('git-fetch', gitFetchTask())];
    a.builderServiceAccount();
    b.builderServiceAccount();
    // THEN seed's objects live in the first chart, once; other's in the second
    expect(a).toBe(b);
    expect(names[0]).toBe(names[1]);
    expect(Testing.synth(first).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`Task/seed/${names[0]}`, 'ServiceAccount/seed/imagestreams-builder']);
    expect(Testing.synth(second).map((o) => `${o.kind}/${o.metadata.namespace}`)).toEqual(['Task/other']);
    expect(Object.keys(a.taskSpecs)).toEqual([names[0]]);
  });
});
