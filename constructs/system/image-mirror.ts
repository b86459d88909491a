import { isRegistryHost } from '../../lib/api/image-reference';
import type { ImageMirror } from '../../lib/api/image-mirror';

export { mirrorImage, type ImageMirror } from '../../lib/api/image-mirror';

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
