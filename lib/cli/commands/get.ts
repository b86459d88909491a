import { BUILDCONFIG_LABEL } from '../../api/labels';
import { NotFoundError } from '../../runtime/kube/errors';
import { buildTable } from '../builds/build-table';
import { pipelineRuns, pipelineRunsNotFound } from '../builds/resources';
import { withCluster } from '../cluster-session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams get builds [BUILDCONFIG] [options]

Lists builds like 'oc get builds': each PipelineRun of a BuildConfig, by BuildConfig and build number,
with its status (New: a request not numbered yet; Pending: waiting for its run policy; Running;
Complete; Failed; Cancelled), what started it (ImageChange, ConfigChange, Manual, Webhook, GitPoll),
the commit when one was asked for, when it started and how long it ran.

Arguments:
  BUILDCONFIG             only this BuildConfig's builds

Options:
  -n, --namespace NS      the namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 listed, 1 the cluster or Tekton isn't there, 2 a usage error.
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
    if (!['builds', 'build'].includes(what)) throw new UsageError(`get lists builds, not '${what}' (kubectl get lists the rest: is, bc, …)`, 'get');
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
