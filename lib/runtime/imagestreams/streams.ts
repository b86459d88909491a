import type { KubeClient, ResourceClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import type { ImageStreamObject } from '../../api/imagestream';
import { IMAGESTREAMS } from '../../api/group';

/** An ImageStream as the kube client carries it. */
export type StreamObject = KubeObject & ImageStreamObject;

export function imageStreams(kube: KubeClient, namespace: string): ResourceClient<StreamObject> {
  return kube.resource<StreamObject>({ ...IMAGESTREAMS, namespace });
}

/** The stream to import is not there (or the ImageStream CRD is not installed). */
export class StreamNotFoundError extends Error {
  constructor(readonly namespace: string, readonly stream: string) {
    super(`imagestream "${stream}" not found in namespace "${namespace}"`);
    this.name = 'StreamNotFoundError';
  }
}
