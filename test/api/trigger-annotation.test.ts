import { describe, expect, it } from 'vitest';
import { hasTriggerAnnotation, parseTriggerAnnotations } from '../../lib/api/trigger-annotation';

const entry = (name: string, fieldPath = 'spec.template.spec.containers[0].image', extra: object = {}) => ({ from: { kind: 'ImageStreamTag', name, ...extra }, fieldPath });

describe('parseTriggerAnnotations', () => {
  it('reads triggers, defaulting the namespace to the workload\'s', () => {
    const annotations = { 'imagestreams.dev/triggers': JSON.stringify([entry('app:latest'), { ...entry('base:v1', 'p', { namespace: 'shared' }), paused: true }]) };
    expect(parseTriggerAnnotations(annotations, 'team')).toEqual({
      triggers: [
        { stream: 'app', tag: 'latest', namespace: 'team', fieldPath: 'spec.template.spec.containers[0].image', paused: false },
        { stream: 'base', tag: 'v1', namespace: 'shared', fieldPath: 'p', paused: true },
      ],
      errors: [],
    });
  });

  it('merges OpenShift\'s annotation, ours winning on the same fieldPath', () => {
    const annotations = {
      'image.openshift.io/triggers': JSON.stringify([entry('old:latest'), entry('os:latest', 'other')]),
      'imagestreams.dev/triggers': JSON.stringify([entry('new:latest')]),
    };
    const { triggers } = parseTriggerAnnotations(annotations, 'ns');
    expect(triggers.map((t) => `${t.stream} ${t.fieldPath}`)).toEqual(['new spec.template.spec.containers[0].image', 'os other']);
  });

  it('reports each bad entry and keeps the good ones', () => {
    const annotations = {
      'imagestreams.dev/triggers': JSON.stringify([entry('ok:latest'), { from: { kind: 'DockerImage', name: 'x' }, fieldPath: 'p' }, entry('notag'), { from: { kind: 'ImageStreamTag', name: 'a:b' } }, 7]),
      'image.openshift.io/triggers': '{"not":"an array"}',
    };
    const { triggers, errors } = parseTriggerAnnotations(annotations, 'ns');
    expect(triggers.map((t) => t.stream)).toEqual(['ok']);
    expect(errors).toEqual([
      "annotation 'image.openshift.io/triggers': must be a JSON array of triggers",
      `annotation 'imagestreams.dev/triggers': trigger [1]: 'from.kind' ("DockerImage") must be 'ImageStreamTag'`,
      `annotation 'imagestreams.dev/triggers': trigger [2]: 'from.name' ("notag") must be 'stream:tag'`,
      "annotation 'imagestreams.dev/triggers': trigger [3]: 'fieldPath' must be a string",
      "annotation 'imagestreams.dev/triggers': trigger [4] must be an object",
    ]);
  });

  it('reports invalid JSON', () => {
    const { errors } = parseTriggerAnnotations({ 'imagestreams.dev/triggers': '[{' }, 'ns');
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith("annotation 'imagestreams.dev/triggers': invalid JSON: ")).toBe(true);
  });

  it('knows which workloads have triggers', () => {
    expect(hasTriggerAnnotation({ 'image.openshift.io/triggers': '[]' })).toBe(true);
    expect(hasTriggerAnnotation({ other: 'x' })).toBe(false);
    expect(hasTriggerAnnotation(undefined)).toBe(false);
  });
});
