import { isVariableName } from '../../api/buildconfig';
import type { PipelineRun } from '../../api/pipeline-run';
import { NotFoundError } from '../../runtime/kube/errors';
import { followRun } from '../builds/follow-run';
import { manualRun, type ManualRunOptions } from '../builds/manual-run';
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
  -e, --env NAME=VALUE    an env var for this build only (RUN and the image), over the BuildConfig's
                          env; repeat for more
      --build-arg NAME=VALUE
                          a build arg for this build only (Docker strategy), over the BuildConfig's;
                          repeat for more
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
      env: { type: 'string', short: 'e', multiple: true },
      'build-arg': { type: 'string', multiple: true },
      follow: { type: 'boolean', short: 'F', default: false },
      namespace: { type: 'string', short: 'n' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
    }, 1);
    if (args.flag('help')) return io.stdout(HELP), 0;
    const name = args.positionals[0];
    if (!name) throw new UsageError('the BUILDCONFIG argument is missing', 'start-build');
    const options: ManualRunOptions = {
      commit: parseCommit(args.string('commit')),
      env: parseItems('--env', args.values.env),
      buildArgs: parseItems('--build-arg', args.values['build-arg']),
    };
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'start a build' };
    return withCluster(io, session, async (cluster) => {
      const run = await createRun(cluster, name, options);
      io.stdout(`pipelinerun/${run.metadata.name} created for BuildConfig ${name}: the controller admits and numbers it\n`);
      return args.flag('follow') ? followRun(cluster, run, name, io) : 0;
    });
  },
};

function parseCommit(value: string | undefined): string | undefined {
  if (value === undefined || /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(value)) return value;
  throw new UsageError(`--commit must be a full commit SHA (40 or 64 lower-case hex digits), not '${value}'`, 'start-build');
}

/** `NAME=VALUE` items of a repeated option, by name (a later item of a name wins, as in the build). */
function parseItems(flag: string, values: unknown): Record<string, string> | undefined {
  if (!Array.isArray(values) || values.length === 0) return undefined;
  const items: Record<string, string> = {};
  for (const item of values as string[]) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !isVariableName(key)) {
      throw new UsageError(`${flag} takes NAME=VALUE (a name of letters, digits and '_', not starting with a digit), not '${item}'`, 'start-build');
    }
    items[key] = item.slice(eq + 1);
  }
  return items;
}

async function createRun(cluster: Cluster, name: string, options: ManualRunOptions): Promise<PipelineRun> {
  const bc = await getBuildConfig(cluster.kube, cluster.namespace, name);
  if (options.buildArgs && bc.spec.strategy.type !== 'Docker') {
    throw new UsageError(`--build-arg is for the Docker strategy, and BuildConfig ${name} builds with ${bc.spec.strategy.type}: use --env`, 'start-build');
  }
  try {
    return await pipelineRuns(cluster.kube, cluster.namespace).create(manualRun(bc, options));
  } catch (e) {
    if (e instanceof NotFoundError) throw pipelineRunsNotFound(e, cluster.namespace);
    throw e;
  }
}
