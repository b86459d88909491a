import type { IConstruct } from 'constructs';
import type { BuildImageReference } from '../../lib/api/buildconfig';
import { ImageStream } from '../imagestream/image-stream';
import { System } from '../system/system';
import type { BuildOutput } from './output';

/** Where a build pushes, resolved against the System's registry. */
export interface ResolvedOutput {
  /** The image reference with its tag. */
  readonly image: string;
  /** Plain http or unverified https. */
  readonly insecure: boolean;
  readonly pushSecret?: string;
  /** As the BuildConfig's spec.output.to records it. */
  readonly to: BuildImageReference;
}

/**
 * A stream output pushes to `repositoryFor(namespace, stream).push:tag` and declares the tag on the
 * stream; an image output pushes where it says.
 */
export function resolveOutput(scope: IConstruct & { readonly namespace: string }, output: BuildOutput): ResolvedOutput {
  const tag = output.tag;
  if (!tag) return { image: output.image!, insecure: output.insecure, pushSecret: output.pushSecret, to: { kind: 'DockerImage', name: output.image! } };
  const registry = System.of(scope).registry;
  if (!registry) {
    throw new Error(`[${scope.node.path}] 'output' pushes to the stream tag ${tag}, but the System has no registry to push to: `
      + "set one, new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com' }) }) or StreamRegistry.inCluster(), "
      + "or push to an image with BuildOutput.image('registry.example.com/team/app:tag')");
  }
  if (ImageStream.isImageStream(tag.stream)) tag.stream.declareOutputTag(tag.tag);
  const repository = registry.repositoryFor(tag.namespace, tag.streamName);
  return {
    image: `${repository.push}:${tag.tag}`,
    insecure: repository.insecure,
    pushSecret: output.pushSecret ?? repository.pushSecret,
    to: { kind: 'ImageStreamTag', name: tag.name, ...(tag.namespace !== scope.namespace ? { namespace: tag.namespace } : {}) },
  };
}
