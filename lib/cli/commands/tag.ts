import { deleteTag } from '../imagestream/delete-tag';
import { withKube } from '../imagestream/session';
import { aliasTag, copyTag, type TagImageOptions } from '../imagestream/tag-image';
import { imageStreams } from '../../runtime/imagestreams/streams';
import { tagSource, type SourceKind } from '../imagestream/tag-ref';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';
import { formatStreamTag, inNamespace, parseStreamTag, type StreamTagRef } from '../../api/stream-tag';

const HELP = `Usage: imagestreams tag SRC DST [options]
       imagestreams tag -d STREAM:TAG [STREAM:TAG...] [options]

Points the ImageStream tag DST at SRC's image, through your kubeconfig, like 'oc tag'.

Without --alias, DST gets SRC's current image (its newest history item, following SRC if it is an
alias): DST's spec tag is pinned to that digest (from DockerImage repository@sha256:…, not
scheduled) and the image becomes DST's newest history item. Later changes to SRC don't move DST. A
reference tag SRC (reference: true) makes DST a reference to the same image. With --alias, DST
follows SRC: its spec tag becomes 'from: {kind: ImageStreamTag, name: stream:tag}' and the
controller resolves SRC's image wherever DST is used. With -d, each tag is deleted from its stream:
its spec tag and its history.

The change of DST is one write of its spec tag, applied whole or not at all; when other writers
change the stream at the same moment, it is retried with exponential back-off and jitter, so that
many tag commands at once all succeed. The history item follows, in the order of those writes.

Arguments:
  SRC                     stream:tag or namespace/stream:tag, or an image reference
                          (registry/repository:tag or …@sha256:…), resolved now and pinned
  DST                     stream:tag or namespace/stream:tag; the stream must exist

SRC is read as an image reference when it has a digest, more than one '/', or a registry host
(with '.' or ':') before its first '/'. Otherwise it is a stream tag: pass --source=docker for
images like localhost/app:v1 or library/busybox:1.

Namespaces are tenants: a SRC stream of another namespace than DST's must grant it Pull, and a DST
(or a tag to delete) in another namespace than the one you act in (-n) must grant that one Push
(spec.grants; stream.allowPull / allowPush in the constructs).

Options:
      --alias             DST follows SRC (an ImageStreamTag source) instead of copying its image
  -d, --delete            delete the tags named
      --source KIND       how to read SRC: imagestreamtag or docker (default: by its shape)
      --insecure          for an image SRC: plain http, or https without certificate verification
  -n, --namespace NS      the namespace of stream tags that name none (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

DST's spec changes. If Git owns the stream's manifest (Argo CD, Flux), the next sync puts the old
spec tag back: declare the tag in your cdk8s code instead, or change it there too.

Exit codes: 0 done, 1 the cluster, a stream or a tag isn't there, SRC has no image or a grant is
missing, 2 a usage error.
`;

export const tagCommand: Command = {
  name: 'tag',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('tag', argv, {
      alias: { type: 'boolean', default: false },
      delete: { type: 'boolean', short: 'd', default: false },
      source: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, Infinity);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const cluster = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'tag' };
    if (args.flag('delete')) {
      const tags = parseDeletions(args.positionals, args.flag('alias'));
      return withKube(io, cluster, async (kube, namespace) => {
        for (const ref of tags.map((t) => inNamespace(t, namespace))) {
          await deleteTag(imageStreams(kube, ref.namespace), { tag: ref, actor: namespace });
          io.stdout(`deleted tag ${formatStreamTag(ref, namespace)}\n`);
        }
        return 0;
      });
    }
    if (args.positionals.length > 2) throw new UsageError(`unexpected argument '${args.positionals[2]}'`, 'tag');
    const request = parseRequest(args.positionals, args.string('source'), args.flag('alias'));
    return withKube(io, cluster, async (kube, namespace) => {
      const options = located(request, namespace, args.flag('insecure'));
      const dst = formatStreamTag(options.destination, namespace);
      if (request.alias) {
        await aliasTag(kube, options);
        return io.stdout(`${dst} now follows ${describeSource(options, namespace)} (alias)\n`), 0;
      }
      const report = await copyTag(kube, options);
      if (report.kind === 'reference') return io.stdout(`${dst} now references ${report.reference} (from ${describeSource(options, namespace)})\n`), 0;
      const what = report.moved ? 'set to' : 'already at';
      return io.stdout(`${dst} ${what} ${report.dockerImageReference} (from ${describeSource(options, namespace)})\n`), 0;
    });
  },
};

/** The tags of `tag -d`. */
function parseDeletions(positionals: readonly string[], alias: boolean): StreamTagRef[] {
  if (alias) throw new UsageError('--alias and --delete exclude each other', 'tag');
  if (positionals.length === 0) throw new UsageError('name the tags to delete: tag -d STREAM:TAG', 'tag');
  try {
    return positionals.map((p) => parseStreamTag(p));
  } catch (e) {
    throw new UsageError((e as Error).message, 'tag');
  }
}

interface TagRequest {
  readonly source: ReturnType<typeof tagSource>;
  readonly destination: ReturnType<typeof parseStreamTag>;
  readonly alias: boolean;
}

function parseRequest(positionals: readonly string[], sourceKind: string | undefined, alias: boolean): TagRequest {
  const [src, dst] = positionals;
  if (!src) throw new UsageError('the SRC argument is missing', 'tag');
  if (!dst) throw new UsageError('the DST argument is missing', 'tag');
  if (sourceKind !== undefined && sourceKind !== 'docker' && sourceKind !== 'imagestreamtag') {
    throw new UsageError(`--source must be imagestreamtag or docker, not '${sourceKind}'`, 'tag');
  }
  let request: TagRequest;
  try {
    request = { source: tagSource(src, sourceKind as SourceKind | undefined), destination: parseStreamTag(dst), alias };
  } catch (e) {
    throw new UsageError((e as Error).message, 'tag');
  }
  if (alias && request.source.kind === 'DockerImage') throw new UsageError(`--alias needs a stream tag as SRC, not the image '${src}'`, 'tag');
  return request;
}

function located(request: TagRequest, namespace: string, insecure: boolean): TagImageOptions {
  const destination = inNamespace(request.destination, namespace);
  const source = request.source.kind === 'DockerImage' ? request.source : { kind: 'ImageStreamTag' as const, ref: inNamespace(request.source.ref, namespace) };
  if (request.alias && source.kind === 'ImageStreamTag' && sameTag(source.ref, destination)) {
    throw new UsageError(`"${formatStreamTag(destination, namespace)}" cannot be an alias of itself`, 'tag');
  }
  return { source, destination, insecure, actor: namespace };
}

function describeSource(options: TagImageOptions, namespace: string): string {
  return options.source.kind === 'DockerImage' ? options.source.reference : formatStreamTag(options.source.ref, namespace);
}

function sameTag(a: StreamTagRef, b: StreamTagRef): boolean {
  return a.namespace === b.namespace && a.stream === b.stream && a.tag === b.tag;
}
