import { isRegistryHost, parseReference } from '../../lib/api/image-reference';

/**
 * Where the images we run come from in an air-gapped cluster: registry host → the prefix it is
 * mirrored under, e.g. `{ 'docker.io': 'mirror.example.com/docker.io' }`. Copy images with
 * `skopeo copy --all` so that their digests (we pin every image by digest) stay the same.
 */
export type ImageMirror = Readonly<Record<string, string>>;

/** Checks a mirror map: keys registry hosts, values `host[:port][/path]`. */
export function checkImageMirror(at: string, mirror: ImageMirror): ImageMirror {
  for (const [from, to] of Object.entries(mirror)) {
    if (!isRegistryHost(from)) throw new Error(`${at} 'imageMirror' maps '${from}', which is not a registry host: use the host images name, e.g. docker.io or registry.access.redhat.com`);
    const host = to.split('/')[0];
    if (!isRegistryHost(host) || to.endsWith('/') || /\s|@|:[^/]*\//.test(to.slice(host.length))) {
      throw new Error(`${at} 'imageMirror' maps '${from}' to '${to}', which is not host[:port][/path]: e.g. mirror.example.com/${from}`);
    }
  }
  return { ...mirror };
}

/** The image as pulled through the mirror (same repository path, tag and digest), or as it is when its registry is not mirrored. */
export function mirrorImage(image: string, mirror: ImageMirror | undefined): string {
  if (!mirror || Object.keys(mirror).length === 0) return image;
  const ref = parseReference(image);
  const to = mirror[ref.registry];
  if (!to) return image;
  return `${to}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
