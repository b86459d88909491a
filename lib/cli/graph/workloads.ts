import { parseTriggerAnnotations } from '../../api/trigger-annotation';
import { tagKey, workloadKey, type GraphBuilder } from './model';
import type { ObjectManifest } from './manifests';

/** A workload whose image fields follow stream tags (imagestreams.dev/triggers or OpenShift's annotation). */
export function addWorkload(graph: GraphBuilder, workload: ObjectManifest): string[] {
  const { namespace, name, annotations } = workload.metadata;
  const { triggers, errors } = parseTriggerAnnotations(annotations, namespace);
  const label = `${workload.kind} ${namespace}/${name}`;
  if (triggers.length === 0) return errors.map((e) => `${label}: ${e}`);
  const node = graph.node('workload', workloadKey(workload.kind, namespace, name), label);
  for (const trigger of triggers) {
    const streamTag = `${trigger.stream}:${trigger.tag}`;
    const tag = graph.node('tag', tagKey(trigger.namespace, streamTag), `${trigger.namespace}/${streamTag}`);
    graph.edge(tag, node, trigger.paused ? 'deploys (paused)' : 'deploys', !trigger.paused);
  }
  return errors.map((e) => `${label}: ${e}`);
}
