import { isVariableName } from '../../api/buildconfig';
import { sourceTypeOf, strategyTypeOf } from '../../api/build-spec';
import type { ImageStreamObject } from '../../api/imagestream';
import { referencedTag } from '../../api/stream-tag';
import { IMAGESTREAMS, PIPELINERUNS } from '../../api/group';
import type { PipelineRun } from '../../api/pipeline-run';
import { NotFoundError } from '../../runtime/kube/errors';
import { followRun } from '../builds/follow-run';
import { manualRun, type ManualRunOptions } from '../builds/manual-run';
import { buildContextRepository, sourcesLayer, SourcesError, uploadSources, userDockerConfig, type SourcesFrom } from '../builds/upload-sources';
import { BuildError } from '../builds/errors';
import { getBuildConfig, pipelineRuns, pipelineRunsNotFound, type BuildConfigResource } from '../builds/resources';
import { parseReference } from '../../api/image-reference';
import type { KubeObject } from '../../runtime/kube/types';
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
      --from-dir DIR      build the contents of DIR (a BuildConfig whose source is Binary): they are
                          uploaded as an image of one layer to <output repository>/build-context, with
                          your registry credentials ($REGISTRY_AUTH_FILE or ~/.docker/config.json)
      --from-file FILE    build one file (named as the source's asFile says, else as FILE is)
      --from-archive TAR  build the contents of a tar or tar.gz archive
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
      'from-dir': { type: 'string' },
      'from-file': { type: 'string' },
      'from-archive': { type: 'string' },
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
    const from = parseFrom(args.string('from-dir'), args.string('from-file'), args.string('from-archive'));
    const session = { kubeconfig: args.string('kubeconfig'), context: args.string('context'), namespace: args.string('namespace'), doing: 'start a build' };
    return withCluster(io, session, async (cluster) => {
      const run = await createRun(cluster, name, options, from, io);
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

/** At most one of --from-dir, --from-file and --from-archive. */
function parseFrom(dir?: string, file?: string, archive?: string): SourcesFrom | { file: string } | undefined {
  const given = [dir !== undefined && '--from-dir', file !== undefined && '--from-file', archive !== undefined && '--from-archive'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} name the sources twice: give one`, 'start-build');
  if (dir !== undefined) return { dir };
  if (file !== undefined) return { file };
  return archive !== undefined ? { archive } : undefined;
}

/** Binary sources: packed, uploaded next to the output's repository (the address the Pipeline pushes to), referred to by digest. */
async function uploadFor(cluster: Cluster, bc: BuildConfigResource, from: SourcesFrom | undefined, io: { stdout(text: string): void }): Promise<string | undefined> {
  const name = bc.metadata.name;
  const binary = sourceTypeOf(bc.spec.source) === 'Binary';
  if (!binary && from) throw new UsageError(`BuildConfig ${name} builds from its ${sourceTypeOf(bc.spec.source)} source; --from-dir, --from-file and --from-archive are for a BuildConfig whose source is Binary (BuildSource.binary())`, 'start-build');
  if (!binary) return undefined;
  if (!from) throw new UsageError(`BuildConfig ${name} builds uploaded sources (source type Binary): give --from-dir DIR, --from-file FILE or --from-archive TAR`, 'start-build');
  const { image, insecureHosts } = await uploadTarget(cluster, bc);
  const asFile = bc.spec.source.binary?.asFile;
  let layer;
  try {
    layer = sourcesLayer('file' in from && asFile ? { ...from, asFile } : from);
  } catch (e) {
    if (e instanceof SourcesError) throw new UsageError(e.message, 'start-build');
    throw e;
  }
  const repository = buildContextRepository(image);
  const ref = await uploadSources(repository, layer, { insecure: insecureHosts.includes(parseReference(image).registry), dockerConfig: userDockerConfig() });
  io.stdout(`sources uploaded: ${ref}\n`);
  return ref;
}

/**
 * Where uploaded sources go: next to the image the build pushes. A BuildConfig with a Pipeline says
 * it in the Pipeline's IMAGE default; one without says it in its output stream's repository.
 */
async function uploadTarget(cluster: Cluster, bc: BuildConfigResource): Promise<{ image: string; insecureHosts: string[] }> {
  const name = bc.metadata.name;
  if (!bc.spec.pipelineRef) {
    const to = bc.spec.output?.to;
    if (to?.kind === 'DockerImage') return { image: to.name, insecureHosts: [] };
    if (to?.kind !== 'ImageStreamTag') throw new BuildError(`BuildConfig ${name} has no output: uploaded sources are kept next to the output image, so give it output.to`);
    const { namespace, stream, tag } = referencedTag(to, cluster.namespace);
    const found = await cluster.kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace }).get(stream);
    const repository = found.spec?.imageRepository;
    // A stream that names no repository keeps its images where the System's registry does: the controller says where (status).
    const worked = bc.status?.outputDockerImageReference;
    if (!repository && worked) return { image: worked, insecureHosts: [] };
    if (!repository) throw new BuildError(`ImageStream ${namespace}/${stream} names no repository (spec.imageRepository), and the controller has not said where BuildConfig ${name} pushes yet (status.outputDockerImageReference): cannot tell where to upload the sources`);
    return { image: `${repository}:${tag}`, insecureHosts: found.spec?.imageRepositoryInsecure ? [parseReference(repository).registry] : [] };
  }
  const pipelineName = bc.spec.pipelineRef.name;
  const pipeline = await cluster.kube.resource<KubeObject & { spec: { params?: { name: string; default?: unknown }[] } }>({ apiVersion: PIPELINERUNS.apiVersion, resource: 'pipelines', namespace: cluster.namespace }).get(pipelineName);
  const param = (p: string) => pipeline.spec.params?.find((x) => x.name === p)?.default;
  const image = param('IMAGE');
  if (typeof image !== 'string' || image === '') throw new BuildError(`Pipeline ${pipelineName} has no IMAGE default: cannot tell where to upload the sources`);
  return { image, insecureHosts: Array.isArray(param('INSECURE_REGISTRIES')) ? (param('INSECURE_REGISTRIES') as string[]) : [] };
}

async function createRun(cluster: Cluster, name: string, options: ManualRunOptions, from: SourcesFrom | undefined, io: { stdout(text: string): void }): Promise<PipelineRun> {
  const bc = await getBuildConfig(cluster.kube, cluster.namespace, name);
  const sourceArchive = await uploadFor(cluster, bc, from, io);
  if (sourceArchive) options = { ...options, sourceArchive };
  const strategy = strategyTypeOf(bc.spec.strategy);
  if (options.buildArgs && strategy !== 'Docker') {
    throw new UsageError(`--build-arg is for the Docker strategy, and BuildConfig ${name} builds with ${strategy}: use --env`, 'start-build');
  }
  try {
    return await pipelineRuns(cluster.kube, cluster.namespace).create(manualRun(bc, options));
  } catch (e) {
    if (e instanceof NotFoundError) throw pipelineRunsNotFound(e, cluster.namespace);
    throw e;
  }
}
