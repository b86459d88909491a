import type { KubeClient, ResourceClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import { IMAGESTREAM_API_VERSION, IMAGESTREAM_PLURAL, type ImageStreamObject } from '../api/imagestream';

/** An ImageStream as the kube client carries it. */
export type StreamObject = KubeObject & ImageStreamObject;

export function imageStreams(kube: KubeClient, namespace: string): ResourceClient<StreamObject> {
  return kube.resource<StreamObject>({ apiVersion: IMAGESTREAM_API_VERSION, resource: IMAGESTREAM_PLURAL, namespace });
}

/** The stream to import is not there (or the ImageStream CRD is not installed). */
export class StreamNotFoundError extends Error {
  constructor(readonly namespace: string, readonly stream: string) {
    super(`imagestream "${stream}" not found in namespace "${namespace}"`);
    this.name = 'StreamNotFoundError';
  }
}
