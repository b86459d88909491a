import { BUILDCONFIG_LABEL } from '../../api/labels';
import { NotFoundError } from '../../runtime/kube/errors';
import { buildTable } from '../builds/build-table';
import { pipelineRuns, pipelineRunsNotFound } from '../builds/resources';
import { withCluster } from '../cluster-session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';
import type { CliIO } from '../io';
import type { ParsedArgs } from '../usage';
import { imageStreams } from '../../runtime/imagestreams/streams';
import { readStream } from '../../runtime/imagestreams/write-status';
import { streamTable } from '../imagestream/stream-table';

const STREAM_KINDS = new Set(['is', 'imagestream', 'imagestreams']);

const HELP = `Usage: imagestreams get builds [BUILDCONFIG] [options]
       imagestreams get is [NAME] [options]

Lists builds like 'oc get builds': each PipelineRun of a BuildConfig, by BuildConfig and build number,
with its status (New: a request not numbered yet; Pending: waiting for its run policy; Running;
Complete; Failed; Cancelled), what started it (ImageChange, ConfigChange, Manual, Webhook, GitPoll),
the commit when one was asked for, when it started and how long it ran.

'get is' (or imagestreams) lists ImageStreams like 'oc get is': each stream's repository, every tag
(kubectl get is can show only the first) and when a tag last moved.

Arguments:
  BUILDCONFIG             only this BuildConfig's builds
  NAME                    only this ImageStream

Options:
  -n, --namespace NS      the namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 listed, 1 the cluster, Tekton or the stream isn't there, 2 a usage error.
`;

export const getCommand: Command = {
  name: 'get',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('get', argv, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 2);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const [what, buildConfig] = args.positionals;
    if (!what) throw new UsageError('name what to list: get builds', 'get');
    if (STREAM_KINDS.has(what.toLowerCase())) return listStreams(io, args, buildConfig);
    if (!['builds', 'build'].includes(what)) throw new UsageError(`get lists builds and imagestreams (is), not '${what}' (kubectl get lists the rest: bc, pods, …)`, 'get');
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'list builds' };
    return withCluster(io, session, async ({ kube, namespace }) => {
      const labelSelector = buildConfig ? `${BUILDCONFIG_LABEL}=${buildConfig}` : BUILDCONFIG_LABEL;
      try {
        const { items } = await pipelineRuns(kube, namespace).list({ labelSelector });
        return io.stdout(buildTable(items, Date.now())), 0;
      } catch (e) {
        if (e instanceof NotFoundError) throw pipelineRunsNotFound(e, namespace);
        throw e;
      }
    });
  },
};

/** Every ImageStream of the namespace (or the one named), with all its tags. */
function listStreams(io: CliIO, args: ParsedArgs, name: string | undefined): Promise<number> {
  const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'list imagestreams' };
  return withCluster(io, session, async ({ kube, namespace }) => {
    const client = imageStreams(kube, namespace);
    const streams = name ? [await readStream(client, name)] : (await client.list()).items;
    return io.stdout(streamTable(streams, Date.now())), 0;
  });
}
