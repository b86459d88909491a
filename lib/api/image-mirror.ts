import { parseReference } from './image-reference';

/**
 * Where the images we run come from in an air-gapped cluster: registry host → the prefix it is
 * mirrored under, e.g. `{ 'docker.io': 'mirror.example.com/docker.io' }`. Copy images with
 * `skopeo copy --all` so that their digests (we pin every image by digest) stay the same.
 */
export type ImageMirror = Readonly<Record<string, string>>;

/** The image as pulled through the mirror (same repository path, tag and digest), or as it is when its registry is not mirrored. */
export function mirrorImage(image: string, mirror: ImageMirror | undefined): string {
  if (!mirror || Object.keys(mirror).length === 0) return image;
  const ref = parseReference(image);
  const to = mirror[ref.registry];
  if (!to) return image;
  return `${to}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The controller's `--image-mirror` value, checked: the map, or why it is not one. */
export function parseImageMirror(json: string): ImageMirror | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return `--image-mirror must be JSON, not ${JSON.stringify(json)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string' || v === '')) {
    return '--image-mirror must be a JSON object of registry host to mirror prefix, e.g. {"docker.io": "mirror.example.com/docker.io"}';
  }
  return value as ImageMirror;
}
