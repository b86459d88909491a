import { parseGoDuration } from '../../api/duration';
import { formatStreamTag, inNamespace, parseStreamTag, type StreamTagRef } from '../../api/stream-tag';
import { promoteTag } from '../imagestream/promote-tag';
import { withKube } from '../imagestream/session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams promote SRC DST [options]

Promotes SRC's current image into DST, through your kubeconfig: like 'oc tag' between projects,
with a policy. The image SRC points at now (its newest history item, verified when it was recorded)
becomes DST's newest history item, noting where it came from (promotedFrom); nothing is resolved
again. The gate is the one of automatic promotions (stream.promoteTag in the constructs).

Arguments:
  SRC                     stream:tag or namespace/stream:tag (staging's)
  DST                     stream:tag or namespace/stream:tag (prod's): a tag without a source of its
                          own — a promoted tag, a build's output, or a new tag (added to the stream)

Options:
      --soak DURATION     SRC's image must have been its newest this long (Go duration: 30m, 1h)
      --require-rollout   the workloads of SRC's namespace following SRC must run the image, rolled
                          out and available (at least one)
  -n, --namespace NS      the namespace of tags that name none (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Namespaces are tenants: SRC's stream must grant DST's namespace Pull, and a DST in another namespace
than the one you act in (-n) must grant that one Push.

Exit codes: 0 promoted (or DST had the image already), 1 the gate is closed, a stream, tag, image or
grant is missing, or DST has a source of its own, 2 a usage error.
`;

export const promoteCommand: Command = {
  name: 'promote',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('promote', argv, {
      soak: { type: 'string' },
      'require-rollout': { type: 'boolean', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 2);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const [src, dst] = [tagArg(args.positionals[0], 'SRC'), tagArg(args.positionals[1], 'DST')];
    const soakSeconds = soak(args.string('soak'));
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'promote' };
    return withKube(io, session, async (kube, namespace) => {
      const [source, destination] = [inNamespace(src, namespace), inNamespace(dst, namespace)];
      const report = await promoteTag(kube, { source, destination, actor: namespace, soakSeconds, requireRollout: args.flag('require-rollout') });
      const to = formatStreamTag(destination, namespace);
      if (report.created) io.stdout(`${to} added to the stream (a tag without a source: its images are what is promoted)\n`);
      io.stdout(report.moved ? `${to} promoted to ${report.dockerImageReference} from ${formatStreamTag(source, namespace)}\n` : `${to} already at ${report.dockerImageReference}\n`);
      return 0;
    });
  },
};

function tagArg(text: string | undefined, name: string): StreamTagRef {
  if (!text) throw new UsageError(`the ${name} argument is missing`, 'promote');
  try {
    return parseStreamTag(text);
  } catch (e) {
    throw new UsageError((e as Error).message, 'promote');
  }
}

function soak(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return Math.round(parseGoDuration(text) / 1000);
  } catch (e) {
    throw new UsageError(`--soak: ${(e as Error).message}`, 'promote');
  }
}
