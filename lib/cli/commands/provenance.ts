import { inNamespace, parseStreamTag, type StreamTagRef } from '../../api/stream-tag';
import { formatChain, provenanceChain } from '../imagestream/provenance-chain';
import { withKube } from '../imagestream/session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams provenance STREAM:TAG [options]

Prints where the tag's current image comes from, down to the imported base: for each image, the
build that pushed it (its run and commit) and the base it was built on by digest, then the stream
tag that recorded that base, until an image that was imported (and from where). Read from the
streams' history, which the controller writes as builds succeed; the images carry the same facts
as labels (org.opencontainers.image.base.digest, io.openshift.build.commit.id,
io.imagestreams.buildconfig), and each build's SLSA provenance statement is a referrer of its image
in the registry (tag sha256-<hex>).

Arguments:
  STREAM:TAG              stream:tag or namespace/stream:tag

Options:
  -n, --namespace NS      the namespace of a tag that names none (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 printed, 1 the stream or tag is missing or has no image yet, 2 a usage error.
`;

export const provenanceCommand: Command = {
  name: 'provenance',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('provenance', argv, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const ref = tagArg(args.positionals[0]);
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'provenance' };
    return withKube(io, session, async (kube, namespace) => {
      io.stdout(formatChain(await provenanceChain(kube, inNamespace(ref, namespace)), namespace));
      return 0;
    });
  },
};

function tagArg(text: string | undefined): StreamTagRef {
  if (!text) throw new UsageError('the STREAM:TAG argument is missing', 'provenance');
  try {
    return parseStreamTag(text);
  } catch (e) {
    throw new UsageError((e as Error).message, 'provenance');
  }
}
