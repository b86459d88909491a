import type { BuildConfigSpec, BuildImageReference, BuildTriggerPolicy } from '../../api/buildconfig';
import { parseGoDuration, shortDuration } from '../../api/duration';
import { strategyOf, triggersOf } from '../../api/build-spec';
import { buildKey, imageKey, tagKey, type GraphBuilder } from './model';
import type { ObjectManifest } from './manifests';

/**
 * A BuildConfig: its base image (an 'image change' edge when a trigger watches it), its git source
 * (webhooks and polls start builds from there), config changes (a loop: the BuildConfig itself) and
 * the tag its builds push to.
 */
export function addBuildConfig(graph: GraphBuilder, bc: ObjectManifest): void {
  const { namespace, name } = bc.metadata;
  const spec = (bc.spec ?? {}) as Partial<BuildConfigSpec>;
  const triggers = triggersOf(spec);
  const build = graph.node('build', buildKey(namespace, name), `BuildConfig ${namespace}/${name}`);
  addInputs(graph, build, namespace, spec.strategy ? strategyOf(spec.strategy)?.from : undefined, triggers);
  addSource(graph, build, spec, triggers);
  if (triggers.some((t) => t.type === 'ConfigChange')) graph.edge(build, build, 'config change', false);
  if (spec.output?.to) graph.edge(build, refNode(graph, spec.output.to, namespace), 'pushes', true);
}

/** The base (strategy.from) and every image a trigger watches. */
function addInputs(graph: GraphBuilder, build: string, namespace: string, base: BuildImageReference | undefined, triggers: readonly BuildTriggerPolicy[]): void {
  const watched = triggers.filter((t) => t.type === 'ImageChange').map((t) => t.imageChange?.from ?? base);
  for (const ref of watched) {
    if (ref) graph.edge(refNode(graph, ref, namespace), build, 'image change', true);
  }
  if (base && !watched.some((ref) => ref && sameRef(ref, base, namespace))) graph.edge(refNode(graph, base, namespace), build, 'base image', false);
}

function addSource(graph: GraphBuilder, build: string, spec: Partial<BuildConfigSpec>, triggers: readonly BuildTriggerPolicy[]): void {
  const git = spec.source?.git;
  if (!git) return;
  const where = `${git.uri}${git.ref ? `#${git.ref}` : ''}`;
  const source = graph.node('source', `source:${where}`, `git ${where}`);
  const starters = triggers.flatMap((t) => sourceTriggerLabel(t) ?? []);
  if (starters.length === 0) graph.edge(source, build, 'source', false);
  for (const label of starters) graph.edge(source, build, label, true);
}

/** 'webhook (GitHub)', 'git poll every 5m', or undefined for triggers that don't come from git. */
function sourceTriggerLabel(trigger: BuildTriggerPolicy): string | undefined {
  if (['GitHub', 'GitLab', 'Bitbucket', 'Generic'].includes(trigger.type)) return `webhook (${trigger.type})`;
  if (trigger.type === 'GitPoll') return trigger.gitPoll?.interval ? `git poll every ${shortDuration(parseGoDuration(trigger.gitPoll.interval) / 1000)}` : 'git poll';
  return undefined;
}

function refNode(graph: GraphBuilder, ref: BuildImageReference, namespace: string): string {
  if (ref.kind === 'DockerImage') return graph.node('image', imageKey(ref.name), ref.name);
  const ns = ref.namespace || namespace;
  return graph.node('tag', tagKey(ns, ref.name), `${ns}/${ref.name}`);
}

function sameRef(a: BuildImageReference, b: BuildImageReference, namespace: string): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace || namespace) === (b.namespace || namespace);
}
