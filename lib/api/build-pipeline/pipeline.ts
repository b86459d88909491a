import type { Param, ParamSpec, PipelineSpec, PipelineTask, PipelineWorkspaceDeclaration, ResourceRequirements, TaskSpec } from '../tekton';
import { withBuildInputs } from './tasks/build-inputs';
import { withPostCommit } from './tasks/post-commit';
import { binaryFetchTask } from './tasks/binary-fetch';
import { imageSourcePathItem, imageSourcesTask } from './tasks/image-sources';
import { buildahBuildTask, buildpacksTask, BUILDPACKS_BUILD_STEP, builderImagesParam, gitFetchTask, inlineDockerfileTask, s2iGenerateTask } from './tasks';
import { BASE_IMAGE_PARAM, IMAGE_SOURCES_PARAM, REVISION_PARAM, RUN_BUILD_ARGS_PARAM, RUN_ENV_PARAM, SOURCE_ARCHIVE_PARAM, STAGE_IMAGES_PARAM, type BuildConfigSpec } from '../buildconfig';
import { encodeLiteral } from '../literal-params';
import { mirrorImage } from '../image-mirror';
import { withMirroredDefaults } from './tasks/images';
import { fixedImageSources, fixedStageImages, IMAGES_PULL_WORKSPACE, pipelinePlan, REGISTRY_CAS_WORKSPACE, type BuildTarget, type PipelinePlan } from './plan';

/**
 * How a Pipeline task refers to its Task: by name to a shared Task (synthesis: namespaced,
 * content-hashed), or with the spec embedded (the controller's runs of a BuildConfig without a Pipeline).
 */
export type TaskReferrer = (baseName: string, spec: TaskSpec) => Pick<PipelineTask, 'taskRef' | 'taskSpec'>;

/** Refers to each Task by embedding it. */
export const embedTasks: TaskReferrer = (_baseName, taskSpec) => ({ taskSpec });

/**
 * The Pipeline the controller embeds in the runs of a BuildConfig that names none: its Tasks inline,
 * our default step images through the System's mirror, as a synthesized BuildConfig's shared Tasks have them.
 */
export function embeddedPipelineSpec(spec: BuildConfigSpec, target: BuildTarget): PipelineSpec {
  const mirror = target.imageMirror;
  return buildPipelineSpec(spec, target, mirror ? (_baseName, task) => ({ taskSpec: withMirroredDefaults(task, (image) => mirrorImage(image, mirror)) }) : embedTasks);
}

const ws = (name: string, workspace = name) => ({ name, workspace });
const param = (name: string, value: Param['value']): Param => ({ name, value });
const fromParam = (name: string): Param => param(name, `$(params.${name})`);
const arrayFromParam = (name: string): Param => param(name, [`$(params.${name}[*])`]);

/**
 * The Tekton Pipeline of one BuildConfig, from its spec: fetch → [generate] → build (which pushes).
 * The one function behind both a synthesized BuildConfig's Pipeline and the one the controller embeds
 * in the runs of a BuildConfig that names none.
 */
export function buildPipelineSpec(spec: BuildConfigSpec, target: BuildTarget, taskName: TaskReferrer): PipelineSpec {
  return pipelineSpecOf(pipelinePlan(spec, target), taskName);
}

function pipelineSpecOf(plan: PipelinePlan, taskName: TaskReferrer): PipelineSpec {
  const git = plan.source.type === 'Git';
  // In run order, so that the shared Tasks are emitted in that order too.
  const workspaces = pipelineWorkspaces(plan);
  const declared = new Set(workspaces.map((w) => w.name));
  // A source of images only has no fetch: the image-sources task is the first. OpenShift's source type
  // None (no source at all) has none either: the build starts from an empty context (S2I assembles
  // nothing; a Docker build fails, saying it has no Dockerfile).
  const fetch = plan.source.type === 'Image' || plan.source.type === 'None' ? [] : [fetchTask(plan, taskName)];
  const images = plan.source.images.length > 0 ? [imagesTask(plan, taskName, fetch.map((t) => t.name))] : [];
  const before = [...fetch, ...images].map((t) => t.name).slice(-1);
  const tasks = [...fetch, ...images, ...(plan.strategy.type === 'Source' ? [generateTask(plan, taskName, before)] : [])];
  tasks.push(buildTask(plan, taskName, before));
  const perRun = [
    ...(plan.strategy.stages.some((s) => s.from.kind !== 'DockerImage') ? [STAGE_IMAGES_PARAM] : []),
    ...(plan.source.images.some((i) => i.from.kind !== 'DockerImage') ? [IMAGE_SOURCES_PARAM] : []),
  ].map((p) => ` and ${p}`).join('');
  return {
    description: `Builds ${plan.image || 'an image it does not push'} (${plan.strategy.type} strategy). A run needs only ${BASE_IMAGE_PARAM} and ${REVISION_PARAM}${perRun}.`,
    params: pipelineParams(plan),
    workspaces,
    // The Tasks' Secret workspaces are optional: left unbound when the BuildConfig has no such Secret.
    tasks: tasks.map((t) => ({ ...t, workspaces: t.workspaces?.filter((w) => declared.has(w.workspace)) })),
    results: [
      { name: 'IMAGE_DIGEST', description: 'Digest of the pushed image.', value: '$(tasks.build.results.IMAGE_DIGEST)' },
      { name: 'IMAGE_URL', description: 'The reference pushed.', value: '$(tasks.build.results.IMAGE_URL)' },
      ...(git ? [{ name: 'COMMIT', description: 'The commit built.', value: '$(tasks.fetch.results.COMMIT)' }] : []),
      ...(plan.strategy.type !== 'Buildpacks' ? [{ name: 'BASE_IMAGE', description: 'The image the last stage starts from, repository@sha256:….', value: '$(tasks.build.results.BASE_IMAGE)' }] : []),
    ],
  };
}

/**
 * The workspaces every run binds (as the BuildConfig's spec lists them): the sources, and each
 * Secret the BuildConfig names. Declaring no others keeps runs, TriggerTemplates and linters agreed.
 */
function pipelineWorkspaces(plan: PipelinePlan): PipelineWorkspaceDeclaration[] {
  const pullSecret = plan.strategy.type !== 'Buildpacks' && plan.pullSecret;
  return [
    { name: 'source', description: 'Holds the sources between tasks.' },
    ...(plan.source.sourceSecret ? [{ name: 'git-credentials', optional: true, description: 'basic-auth or ssh-auth Secret for the clone.' }] : []),
    ...(plan.pushSecret ? [{ name: 'dockerconfig', optional: true, description: 'dockerconfigjson Secret for the push.' }] : []),
    ...(pullSecret ? [{ name: 'pull-dockerconfig', optional: true, description: 'dockerconfigjson Secret for pulling bases.' }] : []),
    ...(plan.source.imagesPullSecret ? [{ name: IMAGES_PULL_WORKSPACE, optional: true, description: 'dockerconfigjson Secret of the image sources that name one.' }] : []),
    ...(plan.registries.cas.length > 0 ? [{ name: REGISTRY_CAS_WORKSPACE, optional: true, description: 'CA bundles of registries, <host>/ca.crt.' }] : []),
    ...plan.source.inputs.map((i) => ({ name: i.workspace, description: `The ${i.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${i.name}, seen by RUN in /${i.destinationDir}.` })),
  ];
}

function pipelineParams(plan: PipelinePlan): ParamSpec[] {
  const { source, strategy } = plan;
  const s = strategy;
  // An inline source has no REVISION: Tekton lets a PipelineRun pass params a Pipeline does not declare.
  const sourceParams: ParamSpec[] = source.type === 'Git'
    ? [
      { name: REVISION_PARAM, default: source.ref ?? '', description: "Branch, tag or commit; empty = the remote's default branch." },
      { name: 'URL', default: encodeLiteral(source.uri!), description: 'The git repository (% and $ percent-encoded).' },
    ]
    : source.type === 'Binary'
      ? [{ name: SOURCE_ARCHIVE_PARAM, default: '', description: 'The sources start-build uploaded: an image by digest (set by each run).' }]
      : source.dockerfile === undefined
        ? []
        : [{ name: 'DOCKERFILE_TEXT', default: encodeLiteral(source.dockerfile!), description: 'The inline Dockerfile (% and $ percent-encoded).' }];
  const params: ParamSpec[] = [
    ...sourceParams,
    { name: BASE_IMAGE_PARAM, default: plan.baseImage, description: 'The base by digest (set by the controller); empty keeps the default.' },
    { name: 'CONTEXT_DIR', default: encodeLiteral(source.contextDir), description: 'Build context, relative to the repository root.' },
    { name: 'IMAGE', default: plan.image, description: 'Where the image is pushed.' },
    { name: 'INSECURE_REGISTRIES', type: 'array', default: [...plan.registries.insecure], description: 'Registry hosts reached over http or unverified https; no other.' },
    { name: 'ENV', type: 'array', default: literalItems(s.env), description: 'NAME=value build environment.' },
    { name: RUN_ENV_PARAM, type: 'array', default: [], description: 'NAME=value env of one run (start-build --env), over ENV.' },
  ];
  if (source.images.length > 0) {
    params.push(
      { name: IMAGE_SOURCES_PARAM, type: 'array', default: fixedImageSources(source.images), description: 'index=image: the image of each image source (stream tags set by the controller, by digest).' },
      {
        name: 'IMAGE_SOURCE_PATHS', type: 'array', default: source.images.flatMap((i, n) => i.paths.map((p) => imageSourcePathItem(n, p.destinationDir, p.sourcePath))),
        description: 'index=destinationDir=sourcePath: what is copied out of each image (each part percent-encoded in %, $, = and blanks).',
      },
    );
  }
  if (strategy.type !== 'Buildpacks') params.push({ name: 'LABELS', type: 'array', default: literalItems(plan.imageLabels), description: 'key=value image labels.' });
  if (strategy.type === 'Docker') {
    params.push(
      { name: 'DOCKERFILE', default: encodeLiteral(s.dockerfilePath ?? 'Dockerfile'), description: 'Relative to CONTEXT_DIR.' },
      { name: 'BUILD_ARGS', type: 'array', default: literalItems(s.buildArgs ?? {}), description: 'NAME=value build args.' },
      { name: RUN_BUILD_ARGS_PARAM, type: 'array', default: [], description: 'NAME=value build args of one run (start-build --build-arg), over BUILD_ARGS.' },
      { name: STAGE_IMAGES_PARAM, type: 'array', default: fixedStageImages(strategy), description: 'stage=image: the images of named stages (stream tags set by the controller, by digest).' },
    );
  }
  if (strategy.type !== 'Buildpacks') {
    params.push(
      { name: 'NO_CACHE', default: String(s.noCache ?? false), description: 'true reuses no layer and pushes none to the cache.' },
      { name: 'CACHE_REPOSITORY', default: plan.image ? cacheRepository(plan.image) : '', description: 'Where the layer cache is pulled from and pushed to.' },
    );
  }
  if (plan.postCommit) {
    params.push({ name: 'POST_COMMIT', type: 'array', default: plan.postCommit.map(encodeLiteral), description: 'The postCommit command, run in the built image before the push (% and $ percent-encoded).' });
  }
  if (strategy.type === 'Source' && s.builders) {
    params.push({ name: 'BUILDER_IMAGES', type: 'array', default: builderImagesParam(s.builders), description: 'language=image builders.' });
  }
  return params;
}

/** The layer cache of a build: the repository `cache` under the output's (the output without its tag). */
export function cacheRepository(image: string): string {
  return `${image.replace(/:[^:/]+$/, '')}/cache`;
}

/**
 * `NAME=value` items, sorted, each percent-encoded in `%` and `$` (lib/api/literal-params): what the
 * user wrote reaches the build as written, whatever Tekton and the kubelet would make of `$(…)`.
 */
function literalItems(values: Readonly<Record<string, string>>): string[] {
  return Object.keys(values).sort().map((name) => encodeLiteral(`${name}=${values[name]}`));
}

function fetchTask(plan: PipelinePlan, taskName: TaskReferrer): PipelineTask {
  if (plan.source.type === 'Binary') {
    return {
      name: 'fetch',
      ...taskName('binary-fetch', binaryFetchTask()),
      params: [fromParam(SOURCE_ARCHIVE_PARAM), arrayFromParam('INSECURE_REGISTRIES')],
      workspaces: [ws('source'), ws('pull-dockerconfig'), ws(REGISTRY_CAS_WORKSPACE)],
    };
  }
  if (plan.source.type === 'Dockerfile') {
    return { name: 'fetch', ...taskName('inline-dockerfile', inlineDockerfileTask()), params: [fromParam('DOCKERFILE_TEXT')], workspaces: [ws('source')] };
  }
  return {
    name: 'fetch',
    ...taskName('git-fetch', gitFetchTask()),
    params: [
      fromParam('URL'), fromParam(REVISION_PARAM),
      ...(plan.source.insecureIgnoreHostKey ? [param('SSH_INSECURE_IGNORE_HOST_KEY', 'true')] : []),
    ],
    workspaces: [ws('source'), ws('git-credentials')],
  };
}

/** OpenShift's image sources: copied into the sources after the fetch, before anything reads them. */
function imagesTask(plan: PipelinePlan, taskName: TaskReferrer, runAfter: string[]): PipelineTask {
  const clean = plan.source.type === 'Image';
  const keep = plan.source.dockerfile !== undefined;
  // The image sources that name a pull Secret other than the build's are pulled with it.
  const own = plan.source.imagesPullSecret
    ? plan.source.images.flatMap((i, n) => (i.pullSecret?.name === plan.source.imagesPullSecret ? [String(n)] : []))
    : [];
  return {
    name: 'images',
    ...taskName('image-sources', imageSourcesTask()),
    ...(runAfter.length > 0 ? { runAfter } : {}),
    params: [
      arrayFromParam(IMAGE_SOURCES_PARAM), arrayFromParam('IMAGE_SOURCE_PATHS'), arrayFromParam('INSECURE_REGISTRIES'),
      ...(clean ? [param('CLEAN', 'true')] : []),
      ...(keep ? [param('KEEP', 'Dockerfile')] : []),
      ...(own.length > 0 ? [param('OWN_PULL_SECRET', own)] : []),
    ],
    workspaces: [ws('source'), ws('pull-dockerconfig'), ws(IMAGES_PULL_WORKSPACE), ws(REGISTRY_CAS_WORKSPACE)],
  };
}

function generateTask(plan: PipelinePlan, taskName: TaskReferrer, runAfter: string[]): PipelineTask {
  const builders = plan.strategy.builders ? [arrayFromParam('BUILDER_IMAGES')] : [];
  return {
    name: 'generate',
    ...taskName('s2i-generate', s2iGenerateTask()),
    ...(runAfter.length > 0 ? { runAfter } : {}),
    params: [
      param('CONTEXT', '$(params.CONTEXT_DIR)'), param('BUILDER_IMAGE', `$(params.${BASE_IMAGE_PARAM})`), ...builders,
      ...(plan.strategy.scripts ? [param('SCRIPTS_URL', plan.strategy.scripts)] : []),
      ...(plan.strategy.incremental ? [param('INCREMENTAL', 'true')] : []),
    ],
    workspaces: [ws('source')],
  };
}

function buildTask(plan: PipelinePlan, taskName: TaskReferrer, runAfter: string[]): PipelineTask {
  // A run's own env and build args come after the BuildConfig's: the later item of a name wins.
  const common = [fromParam('IMAGE'), arrayFromParam('INSECURE_REGISTRIES'), param('ENV', ['$(params.ENV[*])', `$(params.${RUN_ENV_PARAM}[*])`])];
  if (plan.strategy.type === 'Buildpacks') {
    const s = plan.strategy.buildpacks;
    const spec = withStepResources(buildpacksTask({ userId: s?.userId, groupId: s?.groupId }), BUILDPACKS_BUILD_STEP, plan.resources);
    return {
      name: 'build',
      ...taskName('buildpacks', spec),
      runAfter: ['fetch'],
      params: [...common, param('CONTEXT', '$(params.CONTEXT_DIR)'), param('BUILDER_IMAGE', `$(params.${BASE_IMAGE_PARAM})`)],
      workspaces: [ws('source'), ws('dockerconfig'), ws(REGISTRY_CAS_WORKSPACE)],
    };
  }
  // What makes the image what it is, never what differs between runs (the image stays reproducible).
  const labels = param('LABELS', [
    '$(params.LABELS[*])',
    ...(plan.buildConfig ? [`io.imagestreams.buildconfig=${plan.buildConfig}`] : []),
    ...(plan.source.type === 'Git' ? ['io.openshift.build.commit.id=$(tasks.fetch.results.COMMIT)', 'io.openshift.build.source-location=$(tasks.fetch.results.URL)'] : []),
  ]);
  const byStrategy = plan.strategy.type === 'Docker'
    ? [
      param('CONTEXT', '$(params.CONTEXT_DIR)'), fromParam('DOCKERFILE'), param('BASE_IMAGE', `$(params.${BASE_IMAGE_PARAM})`), arrayFromParam(STAGE_IMAGES_PARAM),
      param('BUILD_ARGS', ['$(params.BUILD_ARGS[*])', `$(params.${RUN_BUILD_ARGS_PARAM}[*])`]),
    ]
    : [param('CONTEXT', '$(tasks.generate.results.CONTEXT)'), param('DOCKERFILE', '$(tasks.generate.results.DOCKERFILE)'), param('S2I', 'true')];
  const reproducible = plan.source.type === 'Git' ? [param('SOURCE_DATE_EPOCH', '$(tasks.fetch.results.SOURCE_DATE_EPOCH)')] : [];
  // Per-run identity goes into the provenance statement (never the image): the run, the commit.
  const provenance = [
    param('RUN', '$(context.pipelineRun.namespace)/$(context.pipelineRun.name)'),
    ...(plan.buildConfig ? [param('BUILD_CONFIG', plan.buildConfig)] : []),
    ...(plan.source.type === 'Git' ? [param('SOURCE_URL', '$(tasks.fetch.results.URL)'), param('SOURCE_COMMIT', '$(tasks.fetch.results.COMMIT)')] : []),
  ];
  return {
    name: 'build',
    ...taskName('buildah-build', buildahTask(plan)),
    ...(plan.strategy.type === 'Docker' && runAfter.length > 0 ? { runAfter } : {}),
    params: [...common, labels, ...byStrategy, ...(plan.strategy.squash ? [param('SQUASH', 'true')] : []), fromParam('NO_CACHE'), fromParam('CACHE_REPOSITORY'), ...(plan.postCommit ? [arrayFromParam('POST_COMMIT')] : []), ...cachePushFromBuild(plan), ...reproducible, ...provenance],
    workspaces: [ws('source'), ws('dockerconfig'), ws('pull-dockerconfig'), ws(REGISTRY_CAS_WORKSPACE), ...plan.source.inputs.map((i) => ws(i.workspace))],
  };
}

/**
 * The build step pushes the layer cache itself when the Secret it pulls with is the one the push
 * step pushes with (the in-cluster registry's, or none at all): that exposes no credential the step
 * does not hold already, and spares the push step a replay of the build.
 */
function cachePushFromBuild(plan: PipelinePlan): Param[] {
  const pull = plan.pullSecret;
  return plan.pushSecret === pull ? [param('CACHE_PUSH_FROM_BUILD', 'true')] : [];
}

/** The buildah-build Task as this build needs it: resources, the source's Secrets and ConfigMaps, the postCommit hook (its args last). */
function buildahTask(plan: PipelinePlan): TaskSpec {
  const task = withBuildInputs(withStepResources(buildahBuildTask(), 'build', plan.resources), plan.source.inputs);
  return plan.postCommit ? withPostCommit(task) : task;
}

/** The Task with `resources` on one step (Tasks with different resources are different Tasks). */
function withStepResources(task: TaskSpec, step: string, resources: ResourceRequirements | undefined): TaskSpec {
  if (!resources) return task;
  return { ...task, steps: task.steps.map((s) => (s.name === step ? { ...s, computeResources: resources } : s)) };
}
