import type { IConstruct } from 'constructs';
import type { TagSpec } from '../../lib/api/imagestream';
import { aliasTarget, streamTagKey } from '../../lib/api/stream-tag';
import { memoized } from '../_app-index';

/** What the cycle check needs of a BuildConfig: the tags whose change starts it, and the tag it pushes to. */
export interface TriggerLink extends IConstruct {
  readonly buildConfigName: string;
  readonly namespace: string;
  /** `ns/stream:tag` of each image-change trigger. */
  imageTriggerTags(): readonly string[];
  /** `ns/stream:tag` of the output, when it is a stream tag. */
  outputTag(): string | undefined;
}

const BUILDCONFIG_BRAND = Symbol.for('cdk8s-imagestreams.BuildConfig');
const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');
interface StreamView { readonly streamName: string; readonly namespace: string; readonly tagSpecs: readonly TagSpec[] }
const isLink = (x: unknown): x is TriggerLink => typeof x === 'object' && x !== null && BUILDCONFIG_BRAND in x;
const isStream = (x: unknown): x is StreamView => typeof x === 'object' && x !== null && STREAM_BRAND in x;

/** A node of the trigger graph: a tag (`ns/stream:tag`) or a build (`BuildConfig ns/name`). */
type Edges = Map<string, string[]>;

/**
 * The cycle through `build`, if its output can start it again: its output tag → builds triggered by
 * that tag (or by aliases that follow it) → their outputs → … → one of its own trigger tags. Reported
 * only by the first build of the cycle (by node name), so each cycle is printed once.
 */
export function triggerCycle(build: TriggerLink): string | undefined {
  const edges = memoized(build, 'trigger-graph', () => triggerGraph(build.node.root));
  const start = buildNode(build);
  const path = findPathBack(start, edges);
  if (!path) return undefined;
  const builds = path.filter((n) => n.startsWith('BuildConfig '));
  if (builds.some((b) => b < start)) return undefined;
  return path.join(' -> ');
}

/** The whole app's trigger graph, in tree order: built once per app (memoized by the caller). */
function triggerGraph(root: IConstruct): Edges {
  const edges: Edges = new Map();
  const add = (from: string, to: string) => {
    const targets = edges.get(from);
    if (targets) targets.push(to);
    else edges.set(from, [to]);
  };
  for (const c of root.node.findAll()) {
    if (isLink(c)) {
      for (const tag of c.imageTriggerTags()) add(tag, buildNode(c));
      const out = c.outputTag();
      if (out) add(buildNode(c), out);
    } else if (isStream(c)) {
      for (const spec of c.tagSpecs) {
        if (spec.from?.kind !== 'ImageStreamTag') continue;
        const here = { namespace: c.namespace, stream: c.streamName };
        add(streamTagKey(aliasTarget(spec.from, here)), streamTagKey({ ...here, tag: spec.name }));
      }
    }
  }
  return edges;
}

function buildNode(b: TriggerLink): string {
  return `BuildConfig ${b.namespace}/${b.buildConfigName}`;
}

/** A path from `start` back to `start`, by depth-first search; undefined when there is none. */
function findPathBack(start: string, edges: Edges): string[] | undefined {
  const seen = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = visit(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(start, [start]);
}
