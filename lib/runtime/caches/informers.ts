import { IMAGESTREAMS } from '../../api/group';
import type { ImageStreamObject } from '../../api/imagestream';
import type { WorkloadKind } from '../../api/workload-kinds';
import type { KubeObject } from '../kube/types';
import type { Informer } from '../machinery/informer';
import type { IndexFunc } from '../machinery/object-store';
import type { SetupContext } from '../machinery/reconciler';
import { cachedStream } from './cached-stream';
import { cachedWorkload } from './cached-workload';

type Stream = ImageStreamObject & KubeObject;

/**
 * The shared ImageStream informer, caching what cachedStream keeps (a stream without a repository of
 * its own read at the System's registry's), with these indexes added.
 */
export function streamInformer(ctx: SetupContext, indexes?: Readonly<Record<string, IndexFunc<Stream>>>): Informer<Stream> {
  const registry = ctx.streamRegistry;
  return ctx.informer<Stream>({ ...IMAGESTREAMS, transform: registry ? (object) => cachedStream(object, registry) : cachedStream, indexes });
}

/** The shared informer of a workload kind, caching what cachedWorkload keeps, with these indexes added. */
export function workloadInformer(ctx: SetupContext, kind: WorkloadKind, indexes?: Readonly<Record<string, IndexFunc<KubeObject>>>): Informer<KubeObject> {
  return ctx.informer<KubeObject>({ apiVersion: kind.apiVersion, resource: kind.resource, transform: cachedWorkload(kind), indexes });
}
