import type { PipelineRun } from '../../api/pipeline-run';
import { NotFoundError } from '../../runtime/kube/errors';
import { followRun } from '../builds/follow-run';
import { manualRun } from '../builds/manual-run';
import { getBuildConfig, pipelineRuns, pipelineRunsNotFound } from '../builds/resources';
import { withCluster, type Cluster } from '../cluster-session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams start-build BUILDCONFIG [options]

Starts a build of BUILDCONFIG now, like 'oc start-build', through your kubeconfig. It creates a
PipelineRun of the BuildConfig's Pipeline (with its params, workspaces, service account and pod
template) in Tekton's pending state, labelled with the BuildConfig and annotated with the cause
Manual; the controller admits it by the BuildConfig's run policy and gives it the next build number.

Arguments:
  BUILDCONFIG             the BuildConfig's name

Options:
      --commit SHA        build this commit (the full SHA; REVISION = SHA) instead of the source's ref
  -F, --follow            watch the build: admission, its number, each task and step as Tekton
                          reports them, and the steps' logs where the cluster serves them, until it
                          ends; the exit code tells how it ended
  -n, --namespace NS      the BuildConfig's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 the build was created (with --follow: it succeeded), 1 the cluster, the BuildConfig or
Tekton isn't there (with --follow: or the build failed or was cancelled), 2 a usage error.
`;

export const startBuildCommand: Command = {
  name: 'start-build',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('start-build', argv, {
      commit: { type: 'string' },
      follow: { type: 'boolean', short: 'F', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const name = args.positionals[0];
    if (!name) throw new UsageError('the BUILDCONFIG argument is missing', 'start-build');
    const commit = parseCommit(args.string('commit'));
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'start a build' };
    return withCluster(io, session, async (cluster) => {
      const run = await createRun(cluster, name, commit);
      io.stdout(`pipelinerun/${run.metadata.name} created for BuildConfig ${name}: the controller admits and numbers it\n`);
      return args.flag('follow') ? followRun(cluster, run, name, io) : 0;
    });
  },
};

function parseCommit(value: string | undefined): string | undefined {
  if (value === undefined || /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(value)) return value;
  throw new UsageError(`--commit must be a full commit SHA (40 or 64 lower-case hex digits), not '${value}'`, 'start-build');
}

async function createRun(cluster: Cluster, name: string, commit: string | undefined): Promise<PipelineRun> {
  const bc = await getBuildConfig(cluster.kube, cluster.namespace, name);
  try {
    return await pipelineRuns(cluster.kube, cluster.namespace).create(manualRun(bc, commit));
  } catch (e) {
    if (e instanceof NotFoundError) throw pipelineRunsNotFound(e, cluster.namespace);
    throw e;
  }
}
