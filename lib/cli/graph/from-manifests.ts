import { GROUP_VERSION, RECEIVER_KIND } from '../../api/group';
import { hasTriggerAnnotation } from '../../api/trigger-annotation';
import { addBuildConfig } from './builds';
import { GraphBuilder, type WorkflowGraph } from './model';
import type { ObjectManifest } from './manifests';
import { receiverOf } from './receivers';
import { addImageStream } from './streams';
import { addWorkload } from './workloads';


/** The workflow drawn by the manifests: streams, builds and annotated workloads; warnings for unreadable triggers. */
export function workflowGraph(objects: readonly ObjectManifest[]): { graph: WorkflowGraph; warnings: string[] } {
  const graph = new GraphBuilder();
  const warnings: string[] = [];
  const receivers = objects.filter((o) => o.apiVersion === GROUP_VERSION && o.kind === RECEIVER_KIND).map(receiverOf);
  for (const object of objects) {
    const ours = object.apiVersion === GROUP_VERSION;
    if (ours && object.kind === 'ImageStream') addImageStream(graph, object, receivers);
    else if (ours && object.kind === 'BuildConfig') addBuildConfig(graph, object);
    else if (hasTriggerAnnotation(object.metadata.annotations)) warnings.push(...addWorkload(graph, object));
  }
  return { graph: graph.build(), warnings };
}
