import { imageStreams } from '../../runtime/imagestreams/streams';
import { readStream } from '../../runtime/imagestreams/write-status';
import { withCluster } from '../cluster-session';
import { describeStream } from '../imagestream/describe-stream';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams describe is/NAME [options]
       imagestreams describe is NAME [options]

Shows an ImageStream like 'oc describe is': its repositories, lookup policy, pull secrets and grants,
then each tag — where it comes from and how it is imported (every interval, once, pinned, an alias,
a reference, paused by a rollback), its history newest first (* marks the current image, with the
manifest list a Legacy import picked it from), its last import and its conditions.

Options:
  -n, --namespace NS      the stream's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 shown, 1 the cluster or the stream isn't there, 2 a usage error.
`;

const STREAM_KINDS = new Set(['is', 'imagestream', 'imagestreams']);

export const describeCommand: Command = {
  name: 'describe',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('describe', argv, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 2);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const name = streamName(args.positionals);
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'describe' };
    return withCluster(io, session, async ({ kube, namespace }) => {
      const stream = await readStream(imageStreams(kube, namespace), name);
      return io.stdout(describeStream(stream, Date.now())), 0;
    });
  },
};

/** NAME from `is/NAME` or `is NAME`. */
function streamName(positionals: readonly string[]): string {
  const [first, second] = positionals;
  if (!first) throw new UsageError('name what to describe: describe is/NAME', 'describe');
  const [kind, name] = first.includes('/') ? first.split('/', 2) : [first, second];
  if (second !== undefined && first.includes('/')) throw new UsageError(`unexpected argument '${second}'`, 'describe');
  if (!STREAM_KINDS.has(kind.toLowerCase())) throw new UsageError(`describe shows ImageStreams (is/NAME), not '${kind}'`, 'describe');
  if (!name) throw new UsageError(`name the ImageStream: describe ${kind}/NAME`, 'describe');
  return name;
}
