import type { BuildConfigObject } from '../../../api/buildconfig';
import type { BuildTarget } from '../../../api/build-pipeline/plan';
import type { ImageMirror } from '../../../api/image-mirror';
import { parseReference } from '../../../api/image-reference';
import { defaultStreamRepository, type StreamRegistryDefaults } from '../../../api/repository-path';
import { referencedTag } from '../../../api/stream-tag';
import { accessDeniedMessage, mayAccess } from '../../../api/grants';
import type { StreamLookup } from '../triggers/resolve-tag';

/**
 * What the spec of a BuildConfig without a Pipeline does not say, for the Pipeline the controller
 * embeds in its runs: where the image goes — a DockerImage output as written; a stream tag at the
 * stream's `spec.imageRepository`, else where the System's registry keeps the stream (a stream
 * applied as OpenShift YAML names none) — and the registry's Secrets in the build's namespace.
 * Undefined `image` (no output, or a stream with no repository and no System registry) builds
 * without pushing; the `reason` says why, for an Event.
 */
export function buildTarget(bc: BuildConfigObject, streams: StreamLookup, registry: StreamRegistryDefaults | undefined, imageMirror?: ImageMirror): BuildTarget & { readonly reason?: string } {
  const namespace = bc.metadata.namespace ?? 'default';
  // The System's registry speaks as it does for every build: bases and S2I builders are pulled from it too.
  const common = {
    buildConfig: `${namespace}/${bc.metadata.name}`,
    ...(imageMirror && Object.keys(imageMirror).length > 0 ? { imageMirror } : {}),
    ...(registry?.pullSecret ? { pullSecret: registry.pullSecret } : {}),
    ...(registry?.insecure ? { insecureHosts: [...new Set([registry.pushHost, registry.pullHost])].sort() } : {}),
  };
  const to = bc.spec.output?.to;
  if (!to) return common;
  if (to.kind === 'DockerImage') return { ...common, image: to.name };
  if (to.kind !== 'ImageStreamTag') return { ...common, reason: `output.to is an ${to.kind}, which names an image already built: push to an ImageStreamTag or a DockerImage` };
  const { namespace: streamNamespace, stream, tag } = referencedTag(to, namespace);
  const object = streams(streamNamespace, stream);
  // The controller works out the push only into a stream this namespace may push to (webhook and
  // start-build requests never go through planBuild's check).
  if (object && !mayAccess(object, namespace, 'Push')) return { ...common, reason: accessDeniedMessage(object, namespace, 'Push') };
  const own = object?.spec.imageRepository;
  const repository = own ?? (registry ? defaultStreamRepository(registry, streamNamespace, stream).push : undefined);
  if (!repository) return { ...common, reason: `ImageStream ${streamNamespace}/${stream} names no repository (spec.imageRepository) and the System has no registry: cannot tell where to push` };
  const insecure = own ? !!object?.spec.imageRepositoryInsecure : !!registry?.insecure;
  const hosts = new Set([...(insecure ? [parseReference(repository).registry] : []), ...common.insecureHosts ?? []]);
  return {
    ...common,
    image: `${repository}:${tag}`,
    ...(hosts.size > 0 ? { insecureHosts: [...hosts].sort() } : {}),
    ...(registry?.pushSecret ? { pushSecret: registry.pushSecret } : {}),
  };
}
