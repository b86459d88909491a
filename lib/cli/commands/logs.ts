import { BUILDCONFIG_LABEL, numbered } from '../../api/labels';
import type { PipelineRun } from '../../api/pipeline-run';
import { printBuildLogs } from '../builds/build-logs';
import { BuildError } from '../builds/errors';
import { describeBuild, findBuild, parseBuildName } from '../builds/find-build';
import { followRun } from '../builds/follow-run';
import { BuildProgress } from '../builds/progress';
import { pipelineRuns } from '../builds/resources';
import { withCluster, type Cluster } from '../cluster-session';
import { parseCommandArgs, UsageError } from '../usage';
import type { Command } from './command';

const HELP = `Usage: imagestreams logs build/BUILD [-f] [options]
       imagestreams logs bc/BUILDCONFIG [-f] [options]

Prints the logs of a build, like 'oc logs build/NAME': each step of each task, its lines prefixed
with [task/step], read from the build pods (pods/POD/log?container=step-NAME), then how the build
ended. BUILD is the PipelineRun's name (foo-3, or a start-build request that became a build) or
BUILDCONFIG/NUMBER (foo/3); bc/BUILDCONFIG is its newest build. Where the cluster serves no pod logs,
it says so and shows each step's state.

Options:
  -f, --follow            keep following a build that hasn't ended: each task and step as Tekton
                          reports them, and their logs as they are written, until it ends; the exit
                          code then tells how it ended
  -n, --namespace NS      the build's namespace (default: the context's)
      --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
      --context NAME      the kubeconfig context (default: its current-context)
  -h, --help              show this help

Exit codes: 0 printed (with -f: the build succeeded), 1 the cluster, the build or Tekton isn't there
(with -f: or the build failed or was cancelled), 2 a usage error.
`;

export const logsCommand: Command = {
  name: 'logs',
  help: HELP,
  async run(argv, io) {
    const args = parseCommandArgs('logs', argv, {
      follow: { type: 'boolean', short: 'f', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const target = parseTarget(args.positionals[0]);
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'read build logs' };
    return withCluster(io, session, async (cluster) => {
      const run = 'buildConfig' in target ? await newestBuild(cluster, target.buildConfig) : await findBuild(pipelineRuns(cluster.kube, cluster.namespace), target.build, cluster.namespace);
      const buildConfig = run.metadata.labels?.[BUILDCONFIG_LABEL] ?? '';
      const progress = new BuildProgress(buildConfig, run.metadata.name as string);
      progress.run(run);
      const ended = progress.outcome(run);
      if (args.flag('follow') && !ended) return followRun(cluster, run, buildConfig, io);
      await printBuildLogs(cluster, run.metadata.name as string, (line) => io.stdout(`${line}\n`));
      io.stdout(`${ended?.line ?? `${describeBuild(run)} has not ended`}\n`);
      return args.flag('follow') ? ended!.code : 0;
    });
  },
};

type Target = { readonly build: ReturnType<typeof parseBuildName> } | { readonly buildConfig: string };

function parseTarget(text: string | undefined): Target {
  if (!text) throw new UsageError('name the build: logs build/NAME or logs bc/NAME', 'logs');
  const slash = text.indexOf('/');
  const kind = slash === -1 ? '' : text.slice(0, slash).toLowerCase();
  const rest = text.slice(slash + 1);
  if (['bc', 'buildconfig', 'buildconfigs'].includes(kind) && rest && !rest.includes('/')) return { buildConfig: rest };
  if (!['build', 'builds'].includes(kind) || !rest) throw new UsageError(`'${text}' names no build: write build/NAME (build/foo-3, build/foo/3) or bc/NAME`, 'logs');
  try {
    return { build: parseBuildName(rest) };
  } catch (e) {
    throw new UsageError((e as Error).message, 'logs');
  }
}

/** The BuildConfig's build of the highest number. */
async function newestBuild(cluster: Cluster, buildConfig: string): Promise<PipelineRun> {
  const { items } = await pipelineRuns(cluster.kube, cluster.namespace).list({ labelSelector: `${BUILDCONFIG_LABEL}=${buildConfig}` });
  const newest = numbered(items).at(-1);
  if (!newest) throw new BuildError(`BuildConfig "${buildConfig}" has no builds in namespace "${cluster.namespace}"`);
  return newest.run;
}
