import type { IConstruct } from 'constructs';
import { accessDeniedMessage } from '../../lib/api/grants';
import type { TagSpec } from '../../lib/api/imagestream';
import { aliasTarget as targetOf, streamTagKey, parseStreamTag } from '../../lib/api/stream-tag';
import { memoized } from '../_app-index';

/** The view of a stream that alias checks need (ImageStream implements it). */
export interface AliasGraphNode extends IConstruct {
  readonly streamName: string;
  readonly namespace: string;
  readonly tagSpecs: readonly TagSpec[];
  hasTag(tag: string): boolean;
  grantsAccess(namespace: string, access: 'Pull' | 'Push'): boolean;
}

const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');
const isStream = (x: unknown): x is AliasGraphNode => typeof x === 'object' && x !== null && STREAM_BRAND in x;

/**
 * Problems with `stream`'s aliases, checked at synth time when every tag is known: an alias to a tag
 * that no construct of the app defines (declare it with ImageStreamTag.external), and alias cycles.
 */
export function aliasProblems(stream: AliasGraphNode): string[] {
  const streams = streamsByName(stream);
  const problems: string[] = [];
  for (const spec of stream.tagSpecs) {
    const target = aliasTarget(stream, spec);
    if (!target) continue;
    const owner = streams.get(`${target.namespace}/${target.stream}`);
    if (owner && !owner.grantsAccess(stream.namespace, 'Pull')) {
      problems.push(`alias '${spec.name}' follows ${streamTagKey(target)}: ${accessDeniedMessage({ metadata: { name: target.stream, namespace: target.namespace } }, stream.namespace, 'Pull')}`);
    }
    if (owner && !owner.hasTag(target.tag)) {
      const name = streamTagKey(target);
      problems.push(`alias '${spec.name}' points at ${name}, which no construct defines: add that tag, or refer to it with ImageStreamTag.external('${name}')`);
    }
    const cycle = findCycle(streamTagKey({ namespace: stream.namespace, stream: stream.streamName, tag: spec.name }), streams);
    if (cycle) problems.push(`alias '${spec.name}' is part of a cycle: ${cycle.join(' -> ')}`);
  }
  return problems;
}

/** The app's streams by `namespace/name` (the last in tree order, for a name used twice): one walk of the tree per app. */
function streamsByName(scope: IConstruct): ReadonlyMap<string, AliasGraphNode> {
  return memoized(scope, 'streams-by-name', () => {
    const streams = new Map<string, AliasGraphNode>();
    for (const c of scope.node.root.node.findAll()) if (isStream(c)) streams.set(`${c.namespace}/${c.streamName}`, c);
    return streams;
  });
}

function aliasTarget(stream: AliasGraphNode, spec: TagSpec) {
  if (spec.from?.kind !== 'ImageStreamTag') return undefined;
  return targetOf(spec.from, { namespace: stream.namespace, stream: stream.streamName });
}

/** Follows aliases from `start` (`ns/stream:tag`); the path when it comes back to `start`. */
function findCycle(start: string, streams: ReadonlyMap<string, AliasGraphNode>): string[] | undefined {
  const path = [start];
  let current = start;
  for (;;) {
    const here = parseStreamTag(current);
    const stream = streams.get(`${here.namespace}/${here.stream}`);
    const spec = stream?.tagSpecs.find((t) => t.name === here.tag);
    const target = stream && spec ? aliasTarget(stream, spec) : undefined;
    if (!target) return undefined;
    current = streamTagKey(target);
    path.push(current);
    if (current === start) return path;
    if (path.indexOf(current) < path.length - 1) return undefined; // a cycle that doesn't include start
  }
}
