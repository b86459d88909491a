import { imageStreams } from '../../runtime/imagestreams/streams';
import { clearRollback, rollbackTag, type RollbackReport } from '../imagestream/rollback-tag';
import { withKube } from '../imagestream/session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';
import { inNamespace, parseStreamTag, type StreamTagRef } from '../../api/stream-tag';

const HELP = `Usage: imagestreams rollback STREAM:TAG [options]

Makes an older image of an ImageStream tag current again, through your kubeconfig. The chosen
history item is put in front as a new item (created now); nothing is deleted, so the history shows
the rollback. The tag is paused (spec importPolicy.paused: true) so that scheduled imports don't
move it back; 'imagestreams rollback STREAM:TAG --clear' unpauses it.

Arguments:
  STREAM:TAG              the tag, as stream:tag or namespace/stream:tag

Options:
      --to N              how many images back from the newest (default: 1, the previous one)
      --clear             unpause the tag: scheduled imports move it again (history is untouched)
  -n, --namespace NS      the stream's namespace when STREAM:TAG names none (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Pausing changes the stream's spec, which Git may own. importPolicy.paused is meant to be left to
this command: don't set it in your manifests. Argo CD: ignore the field so the app doesn't show
OutOfSync and self-heal doesn't undo it,
  ignoreDifferences: [{group: imagestreams.dev, kind: ImageStream,
                       jqPathExpressions: ['.spec.tags[].importPolicy.paused']}]
and sync with ServerSideApply=true, which keeps fields that Git doesn't set (a client-side apply
replaces the whole spec.tags list when the tags in Git change, and the pause with it). Flux
applies server-side, so it keeps the field too.

Exit codes: 0 done, 1 the cluster, stream or tag isn't there or has no such history item, 2 a usage error.
`;

export const rollbackCommand: Command = {
  name: 'rollback',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('rollback', argv, {
      to: { type: 'string' },
      clear: { type: 'boolean', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const target = parseTarget(args.positionals[0]);
    const steps = parseSteps(args.string('to'), args.flag('clear'));
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'roll back' };
    return withKube(io, session, async (kube, namespace) => {
      const { namespace: ns, stream, tag } = inNamespace(target, namespace);
      const streams = imageStreams(kube, ns);
      const name = `${stream}:${tag}`;
      if (steps === undefined) {
        const wasPaused = await clearRollback(streams, { stream, tag });
        return io.stdout(wasPaused ? `${name} unpaused: scheduled imports move it again\n` : `${name} was not paused\n`), 0;
      }
      return io.stdout(describe(name, await rollbackTag(streams, { stream, tag, steps }))), 0;
    });
  },
};

function parseTarget(text: string | undefined): StreamTagRef {
  if (!text) throw new UsageError('the STREAM:TAG argument is missing', 'rollback');
  try {
    return parseStreamTag(text);
  } catch (e) {
    throw new UsageError((e as Error).message, 'rollback');
  }
}

/** Items back from the newest, or undefined for --clear. */
function parseSteps(to: string | undefined, clear: boolean): number | undefined {
  if (clear) {
    if (to !== undefined) throw new UsageError('--to and --clear exclude each other', 'rollback');
    return undefined;
  }
  if (to === undefined) return 1;
  const n = Number(to);
  if (!/^\d+$/.test(to) || n < 1) throw new UsageError(`--to must be a positive integer (1 is the previous image), not '${to}'`, 'rollback');
  return n;
}

function describe(name: string, report: RollbackReport): string {
  const lines = report.moved
    ? [`${name} rolled back to ${report.to.dockerImageReference} (recorded ${report.to.created})`, `  was ${report.from.dockerImageReference}`]
    : [`${name} is at ${report.to.dockerImageReference} already`];
  lines.push(report.wasPaused
    ? `${name} stays paused`
    : `${name} paused: imports leave it alone until 'imagestreams rollback ${name} --clear'`);
  return `${lines.join('\n')}\n`;
}
