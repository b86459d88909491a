import type { IConstruct } from 'constructs';
import { ImageStream } from '../imagestream/image-stream';
import type { ImageStreamTag } from '../imagestream/tag';
import type { BuildStrategy } from './strategy';

/**
 * Which the app means by a base written as a short name (`jdk8:latest`): a stream of that name in
 * the build's namespace is meant (as `oc new-build` reads it), a stream of that name only in other
 * namespaces is an error naming both readings, and without such a stream it is the Docker Hub image.
 */
export function streamTagsForShortNames(bc: IConstruct, namespace: string, strategy: BuildStrategy): Record<string, ImageStreamTag> {
  const written = Object.entries(strategy.shortNames);
  if (written.length === 0) return {};
  const streams = bc.node.root.node.findAll().filter(ImageStream.isImageStream);
  const tags: Record<string, ImageStreamTag> = {};
  for (const [prop, short] of written) {
    const [name, tag] = short.split(':');
    const same = streams.filter((s) => s.streamName === name);
    const own = same.find((s) => s.namespace === namespace);
    if (own) tags[prop] = own.tag(tag);
    else if (same.length > 0) throw new Error(`[${bc.node.path}] ${bothReadings(prop, short, same.map((s) => `${s.namespace}/${name}`))}`);
  }
  return tags;
}

/** At synthesis: a short name read as Docker Hub's when a stream of that name was defined after the BuildConfig. */
export function lateStreamProblems(bc: IConstruct, strategy: BuildStrategy): string[] {
  const written = Object.entries(strategy.shortNames);
  if (written.length === 0) return [];
  const streams = bc.node.root.node.findAll().filter(ImageStream.isImageStream);
  return written.flatMap(([prop, short]) => {
    const named = streams.filter((s) => s.streamName === short.split(':')[0]).map((s) => `${s.namespace}/${s.streamName}`);
    return named.length > 0 ? [`${bothReadings(prop, short, named)} (the stream was defined after this BuildConfig)`] : [];
  });
}

function bothReadings(prop: string, short: string, streams: readonly string[]): string {
  const [name, tag] = short.split(':');
  const hub = `docker.io/library/${name}:${tag}`;
  const stream = streams.map((s) => `ImageStreamTag.external('${s}:${tag}')`).join(' or ');
  return `'${prop}' (${short}) reads two ways: the Docker Hub image ${hub}, or tag '${tag}' of ImageStream ${streams.join(', ')} in this app: write ${stream} (or the stream's .tag('${tag}')) for the stream, or '${hub}' for Docker Hub`;
}
