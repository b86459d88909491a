import { cancelRun } from '../builds/cancel-run';
import { describeBuild, findBuild, parseBuildName, type BuildName } from '../builds/find-build';
import { pipelineRuns } from '../builds/resources';
import { withCluster } from '../cluster-session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams cancel-build BUILD [options]

Cancels a build that is queued or running, like 'oc cancel-build', through your kubeconfig: sets
its PipelineRun's spec.status to Cancelled. Tekton then stops the run's TaskRuns (their pods get
their termination grace period) and marks the run Failed with reason Cancelled; a queued run never
starts. A finished build is left alone.

Arguments:
  BUILD                   the build's PipelineRun name (foo-3, foo-manual-x7k2p), or
                          BUILDCONFIG/NUMBER (foo/3)

Options:
  -n, --namespace NS      the build's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 cancelled (or being cancelled already), 1 the cluster or the build isn't there or it has
finished, 2 a usage error.
`;

export const cancelBuildCommand: Command = {
  name: 'cancel-build',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('cancel-build', argv, {
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const build = parseBuild(args.positionals[0]);
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'cancel a build' };
    return withCluster(io, session, async ({ kube, namespace }) => {
      const runs = pipelineRuns(kube, namespace);
      const report = await cancelRun(runs, await findBuild(runs, build, namespace), describeBuild);
      if ('alreadyCancelling' in report) return io.stdout(`${describeBuild(report.alreadyCancelling)} is being cancelled already\n`), 0;
      return io.stdout(`${describeBuild(report.cancelled)} cancelled\n`), 0;
    });
  },
};

function parseBuild(text: string | undefined): BuildName {
  if (!text) throw new UsageError('the BUILD argument is missing', 'cancel-build');
  try {
    return parseBuildName(text);
  } catch (e) {
    throw new UsageError((e as Error).message, 'cancel-build');
  }
}
