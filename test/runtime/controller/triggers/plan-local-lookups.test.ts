import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, ImageStreamSpec } from '../../../../lib/api/imagestream';
import { LOCAL_LOOKUP_ANNOTATION } from '../../../../lib/api/local-lookup';
import { TRIGGERS_ANNOTATION } from '../../../../lib/api/trigger-annotation';
import { workloadKind } from '../../../../lib/api/workload-kinds';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { planLocalLookups } from '../../../../lib/runtime/controller/triggers/plan-local-lookups';

const DEPLOYMENT = workloadKind('Deployment')!;
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function stream(name: string, spec: ImageStreamSpec, digest?: string): ImageStreamObject {
  const items = digest ? [{ dockerImageReference: `reg/${name}@${digest}`, image: digest, created: '2026-01-01T00:00:00Z' }] : undefined;
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace: 'ns' }, spec, status: { tags: [{ tag: 'latest', ...(items ? { items } : {}) }] } };
}
const streams = [
  stream('jdk8', { lookupPolicy: { local: true }, tags: [{ name: 'latest' }] }, D1),
  stream('moved', { lookupPolicy: { local: true }, tags: [{ name: 'latest' }] }, D2),
  stream('plain', { tags: [{ name: 'latest' }] }, D1),
  stream('empty', { lookupPolicy: { local: true }, tags: [{ name: 'latest' }] }),
];
const lookup = (ns: string, name: string) => (ns === 'ns' ? streams.find((s) => s.metadata.name === name) : undefined);

function deployment(containers: { name: string; image: string }[], annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'ns', annotations }, spec: { template: { spec: { containers } } } };
}

describe('planLocalLookups', () => {
  it("resolves a local stream's short name (`jdk8` meaning jdk8:latest) to its tag's image, and records it", () => {
    const plan = planLocalLookups(deployment([{ name: 'a', image: 'jdk8:latest' }, { name: 'b', image: 'jdk8' }]), DEPLOYMENT, lookup);
    expect(plan.images).toEqual(new Map([['containers/a', `reg/jdk8@${D1}`], ['containers/b', `reg/jdk8@${D1}`]]));
    expect(plan.lookups).toEqual({ 'containers/a': { tag: 'jdk8:latest', image: `reg/jdk8@${D1}` }, 'containers/b': { tag: 'jdk8:latest', image: `reg/jdk8@${D1}` } });
  });

  it('leaves alone short names of streams without local lookup, of no stream, and containers a trigger follows', () => {
    const trigger = JSON.stringify([{ from: { kind: 'ImageStreamTag', name: 'plain:latest' }, fieldPath: 'spec.template.spec.containers[?(@.name=="t")].image' }]);
    const plan = planLocalLookups(deployment([{ name: 'p', image: 'plain:latest' }, { name: 'n', image: 'nginx:1.27' }, { name: 't', image: 'jdk8:latest' }], { [TRIGGERS_ANNOTATION]: trigger }), DEPLOYMENT, lookup);
    expect(plan).toEqual({ images: new Map(), lookups: {}, problems: [], waiting: [] });
  });

  it('keeps following the tag while the container has the image it set, and stops when someone else set another', () => {
    // GIVEN the record of a container resolved to moved@D1, and moved:latest now at D2
    const record = JSON.stringify({ 'containers/web': { tag: 'moved:latest', image: `reg/moved@${D1}` } });
    // WHEN the container still has that image THEN it follows to D2
    expect(planLocalLookups(deployment([{ name: 'web', image: `reg/moved@${D1}` }], { [LOCAL_LOOKUP_ANNOTATION]: record }), DEPLOYMENT, lookup).images).toEqual(new Map([['containers/web', `reg/moved@${D2}`]]));
    // WHEN it has another image THEN it is left alone and the record dropped
    expect(planLocalLookups(deployment([{ name: 'web', image: 'reg/other:1' }], { [LOCAL_LOOKUP_ANNOTATION]: record }), DEPLOYMENT, lookup)).toEqual({ images: new Map(), lookups: {}, problems: [], waiting: [] });
  });

  it('reports a tag the local stream does not have, and waits for a tag without an image', () => {
    const plan = planLocalLookups(deployment([{ name: 'typo', image: 'jdk8:lastest' }, { name: 'early', image: 'empty:latest' }]), DEPLOYMENT, lookup);
    expect(plan.problems).toEqual([{ reason: 'TagNotFound', message: "container 'typo' names 'jdk8:lastest', but ImageStream 'ns/jdk8' (lookupPolicy local) has no tag 'lastest': define it, or write the image in full" }]);
    expect(plan.waiting).toEqual([{ reason: 'WaitingForImage', message: "container 'early' (empty:latest by local lookup) waits for ns/empty:latest, which has no image yet" }]);
    expect(plan.images).toEqual(new Map());
  });
});
