/**
 * The BuildConfig CRD: OpenShift 4's build.openshift.io/v1 BuildConfig spec, field by field, plus our
 * additions. Every field OpenShift has is declared, so that the API server never prunes one: what we
 * support is accepted as written; what we don't is refused by a validation rule whose message names
 * the field and what to write instead (so `kubectl apply` of an OpenShift manifest either keeps every
 * field or fails saying why).
 */
import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { BUILDCONFIG_KIND, BUILDCONFIG_PLURAL } from '../group';
import { STREAM_IMAGE_PATTERN } from '../imagestream';
import { TRIGGER_TYPE_SPELLINGS, WEBHOOK_FIELDS, canonicalTriggerType } from '../build-spec';
import { BUILD_INPUT_DIR_PATTERN, type BuildTriggerType } from '../buildconfig';
import { defineCrd } from './define-crd';

/**
 * Bounds on lists and strings. OpenShift sets none; they let the API server cost the validation rules
 * (each rule on a list item is costed as if the list were full) and are far above what a BuildConfig holds.
 */
export const BUILDCONFIG_LIMITS = {
  triggers: 64,
  env: 256,
  imageSources: 32,
  imagePaths: 64,
  mountedSources: 64,
  stages: 32,
  builders: 64,
  labels: 256,
  registries: 64,
  workspaces: 32,
  params: 256,
} as const;

/** A rule with its message; `fieldPath` makes the error name the refused field rather than its parent. */
interface Rule { rule: string; message: string; fieldPath?: string }

const str = (description: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'string', description, ...extra });
const int = (description: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'integer', description, ...extra });
const bool = (description: string): JSONSchemaProps => ({ type: 'boolean', description });
const obj = (description: string, properties: Record<string, JSONSchemaProps>, required?: string[], rules?: Rule[]): JSONSchemaProps => ({
  type: 'object', ...(description ? { description } : {}), properties, ...(required ? { required } : {}), ...(rules?.length ? { 'x-kubernetes-validations': rules } : {}),
});
const arr = (description: string, items: JSONSchemaProps, maxItems: number, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'array', ...(description ? { description } : {}), items, maxItems, ...extra,
});
const stringMap = (description: string): JSONSchemaProps => ({ type: 'object', description, additionalProperties: { type: 'string' } });
/** An OpenShift field we refuse: declared (so it is not pruned before the rule sees it), its content kept as written. */
const refusedObject = (description: string): JSONSchemaProps => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
const refusedList = (description: string): JSONSchemaProps => ({ type: 'array', description, items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
const absent = (field: string, message: string): Rule => ({ rule: `!has(self.${field})`, message, fieldPath: `.${field}` });

const RFC3339 = { format: 'date-time' } as const;
/** Kubernetes' quantity syntax (resource.Quantity), for strings; integers are quantities too. */
const QUANTITY_PATTERN = '^[+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
/** A shell and Dockerfile variable name: the rule of isVariableName (lib/api/buildconfig.ts). */
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A file name of binary.asFile: no slash, not `.` or `..`. */
const AS_FILE_PATTERN = '^([^/.][^/]*|\\.[^/.][^/]*|\\.\\.[^/]+)$';

const localRef = (description: string, what = 'Secret'): JSONSchemaProps =>
  obj(description, { name: str(`The ${what}'s name, in the BuildConfig's namespace.`, { minLength: 1, maxLength: 253 }) }, ['name']);
const secretRef = (description: string) => localRef(description);
const destinationDir = (what: string): JSONSchemaProps => str(`Where RUN instructions find the files of ${what}: a relative path, from the root.`, { pattern: BUILD_INPUT_DIR_PATTERN });

/**
 * OpenShift's ObjectReference, as builds use it: an image, a stream tag, or one image of a stream's
 * history. `checked`: with the rule on ImageStreamImage names (for what people write, not status).
 */
const imageReference = (description: string, checked = true): JSONSchemaProps => obj(description, {
  kind: str('DockerImage (an image reference), ImageStreamTag ("stream:tag") or ImageStreamImage ("stream@sha256:…", one image of a stream\'s history).', {
    enum: ['DockerImage', 'ImageStreamTag', 'ImageStreamImage'],
  }),
  name: str('The image reference, "stream:tag" or "stream@sha256:…".', { minLength: 1, maxLength: 1024 }),
  namespace: str("For ImageStreamTag and ImageStreamImage: the stream's namespace (default: the BuildConfig's).", { maxLength: 63 }),
  // The rest of Kubernetes' ObjectReference, which OpenShift's references are: kept and ignored, as OpenShift does.
  uid: str('Ignored, as OpenShift ignores it here.'),
  apiVersion: str('Ignored, as OpenShift ignores it here.'),
  resourceVersion: str('Ignored, as OpenShift ignores it here.'),
  fieldPath: str('Ignored, as OpenShift ignores it here.'),
}, ['kind', 'name'], checked ? [{
  rule: `self.kind != 'ImageStreamImage' || self.name.matches('${STREAM_IMAGE_PATTERN}')`,
  message: 'the name of an ImageStreamImage is stream@sha256:<64 hex digits> (one image of that stream\'s history); to follow a tag use kind ImageStreamTag, for an external image kind DockerImage',
  fieldPath: '.name',
}] : undefined);

/** OpenShift's EnvVar, literal values only. */
const envVar = obj('A variable: its name and literal value.', {
  name: str('The variable, as a shell reads it.', { minLength: 1, maxLength: 256, pattern: VARIABLE_NAME_PATTERN }),
  value: str('Its value (default: empty).'),
  valueFrom: refusedObject('Refused: a build takes literal values only.'),
}, ['name'], [absent('valueFrom', 'valueFrom is not supported in a build\'s env or buildArgs: give a literal value, or the Secret\'s files with source.secrets (or source.configMaps)')]);
const envList = (description: string) => arr(description, envVar, BUILDCONFIG_LIMITS.env);

const volumesRefused = (strategy: string): Rule => absent('volumes', `${strategy}.volumes is not supported: give the build the files of a Secret or ConfigMap with source.secrets or source.configMaps`);

const dockerStrategy = obj('Build with a Dockerfile (buildah).', {
  from: imageReference('Replaces the image of the Dockerfile\'s last FROM (the stage that becomes the image).'),
  stages: arr('Images of named stages (FROM image AS name), each replacing its stage\'s FROM (beyond OpenShift).',
    obj('', { name: str('The stage name, lowercase.', { pattern: '^[a-z][a-z0-9_.-]*$', maxLength: 128 }), from: imageReference('The stage\'s image.') }, ['name', 'from']),
    BUILDCONFIG_LIMITS.stages, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
  pullSecret: secretRef('A kubernetes.io/dockerconfigjson Secret for pulling the base images.'),
  noCache: bool('Build every layer anew: use no cached layer, and push none to the layer cache.'),
  env: envList('Variables set for the build\'s RUN instructions (added after the FROM).'),
  forcePull: bool('Pull the base image even when a copy is at hand (build pods start empty here, so they always pull).'),
  dockerfilePath: str('The Dockerfile, relative to the context directory (default: Dockerfile).'),
  buildArgs: envList('Values of the Dockerfile\'s ARGs.'),
  imageOptimizationPolicy: str('None: a layer per instruction; SkipLayers: the new layers squashed into one; SkipLayersAndWarn: as SkipLayers.', {
    enum: ['None', 'SkipLayers', 'SkipLayersAndWarn'],
  }),
  volumes: refusedList('Refused: see source.secrets and source.configMaps.'),
}, undefined, [volumesRefused('dockerStrategy')]);

const sourceStrategy = obj('Build with Source-to-Image: the sources assembled by a builder image.', {
  from: imageReference('The S2I builder image (default: the builder of the detected language, from builders).'),
  builders: arr('Builder image per detected language, when from is not set (beyond OpenShift).',
    obj('', { language: str('The language, as detection names it.', { minLength: 1 }), image: str('The builder image.', { minLength: 1 }) }, ['language', 'image']),
    BUILDCONFIG_LIMITS.builders),
  pullSecret: secretRef('A kubernetes.io/dockerconfigjson Secret for pulling the builder.'),
  env: envList('Variables set for assemble and in the image.'),
  scripts: str('Where the builder keeps assemble and run (image:///path), instead of its own label.'),
  incremental: bool('Reuse the artifacts of the previous image (save-artifacts).'),
  forcePull: bool('Pull the builder even when a copy is at hand.'),
  noCache: bool('Use no cached layer (beyond OpenShift).'),
  volumes: refusedList('Refused: see source.secrets and source.configMaps.'),
}, undefined, [volumesRefused('sourceStrategy')]);

const buildpacksStrategy = obj('Build with Cloud Native Buildpacks (beyond OpenShift).', {
  builder: str('The builder image, pinned.', { minLength: 1 }),
  env: envList('Variables for the buildpacks.'),
  userId: int('The user the builder runs as (default 1000).', { minimum: 0 }),
  groupId: int('The group the builder runs as (default 1000).', { minimum: 0 }),
}, ['builder']);

const STRATEGY_OPTIONS = { Docker: 'dockerStrategy', Source: 'sourceStrategy', Buildpacks: 'buildpacksStrategy' } as const;
const strategyCount = Object.values(STRATEGY_OPTIONS).map((f) => `(has(self.${f}) ? 1 : 0)`).join(' + ');
const strategy = obj('How the image is built: the options of one strategy, under its key; type is inferred from the key when left out.', {
  type: str('Docker, Source or Buildpacks (default: that of the strategy options present). OpenShift\'s Custom and JenkinsPipeline are refused.', {
    enum: ['Docker', 'Source', 'Buildpacks', 'Custom', 'JenkinsPipeline'], maxLength: 32,
  }),
  dockerStrategy, sourceStrategy, buildpacksStrategy,
  customStrategy: refusedObject('Refused: OpenShift\'s Custom strategy.'),
  jenkinsPipelineStrategy: refusedObject('Refused: OpenShift\'s JenkinsPipeline strategy.'),
}, undefined, [
  absent('customStrategy', 'the Custom strategy is not supported (deprecated in OpenShift 4): use dockerStrategy, sourceStrategy or a Pipeline of your own via spec.pipelineRef'),
  absent('jenkinsPipelineStrategy', 'the JenkinsPipeline strategy is not supported (deprecated in OpenShift 4): write the pipeline as a Tekton Pipeline and name it with spec.pipelineRef'),
  {
    rule: "!has(self.type) || !(self.type in ['Custom', 'JenkinsPipeline'])",
    message: 'strategy types Custom and JenkinsPipeline are not supported (deprecated in OpenShift 4): use Docker, Source or Buildpacks, or a Pipeline of your own via spec.pipelineRef',
    fieldPath: '.type',
  },
  {
    rule: `!has(self.type) || !(self.type in ['Docker', 'Source', 'Buildpacks']) || (${Object.entries(STRATEGY_OPTIONS).map(([t, f]) => `(self.type == '${t}' || !has(self.${f}))`).join(' && ')})`,
    message: 'strategy.type disagrees with the strategy options present: Docker takes dockerStrategy, Source sourceStrategy, Buildpacks buildpacksStrategy; set the type of the options you give, or leave type out (it is inferred)',
    fieldPath: '.type',
  },
  { rule: "!has(self.type) || self.type != 'Buildpacks' || has(self.buildpacksStrategy)", message: 'strategy.type Buildpacks needs buildpacksStrategy.builder', fieldPath: '.type' },
  {
    rule: `has(self.type) || has(self.customStrategy) || has(self.jenkinsPipelineStrategy) || ${strategyCount} == 1`,
    message: 'strategy needs exactly one of dockerStrategy, sourceStrategy or buildpacksStrategy (its type is then inferred), or a type',
  },
]);

/** The inferred source type, as sourceTypeOf (lib/api/build-spec.ts) reads it. */
const INFERRED_SOURCE_TYPE = "has(self.git) ? 'Git' : has(self.dockerfile) ? 'Dockerfile' : has(self.binary) ? 'Binary' : (has(self.images) && size(self.images) > 0) ? 'Image' : 'None'";
const source = obj('What is built: a git repository, an inline Dockerfile, sources uploaded by start-build, files from images, or nothing.', {
  type: str('Git, Dockerfile, Binary, Image or None (default: that of what is present: git, else dockerfile, binary, images).', {
    enum: ['Git', 'Dockerfile', 'Binary', 'Image', 'None'], maxLength: 16,
  }),
  binary: obj('Sources each build\'s starter uploads (start-build --from-dir, --from-file, --from-archive).', {
    asFile: str('The name an uploaded single file gets in the build context; without it, an upload is an archive to unpack.', { pattern: AS_FILE_PATTERN }),
  }),
  dockerfile: str('The Dockerfile itself, for a build without a repository.'),
  git: obj('The repository to clone.', {
    uri: str('The repository (https, ssh or file URL).', { minLength: 1 }),
    ref: str('The branch, tag or commit to build (default: the remote\'s default branch).'),
    insecureIgnoreHostKey: bool('ssh: connect without checking the host key when the source secret has no known_hosts (beyond OpenShift).'),
    httpProxy: str('Refused: builds clone without a proxy.'),
    httpsProxy: str('Refused: builds clone without a proxy.'),
    noProxy: str('Refused: builds clone without a proxy.'),
  }, ['uri'], [{
    rule: '!has(self.httpProxy) && !has(self.httpsProxy) && !has(self.noProxy)',
    message: 'source.git.httpProxy, httpsProxy and noProxy are not supported: builds clone without a proxy here; let the cluster reach the repository, or clone from a mirror it reaches',
  }]),
  images: arr('Images whose files are copied into the build context before the build.', obj('', {
    from: imageReference('The image to copy from.'),
    paths: arr('What to copy.', obj('', {
      sourcePath: str('An absolute path in the image; ending in /. copies the directory\'s content rather than the directory.', { minLength: 1 }),
      destinationDir: str('Where, relative to the root of the sources (where git clones; not contextDir), as in OpenShift.'),
    }, ['sourcePath', 'destinationDir']), BUILDCONFIG_LIMITS.imagePaths),
    pullSecret: secretRef('A kubernetes.io/dockerconfigjson Secret for pulling the image (one for all image sources); without it, the strategy\'s.'),
    as: { type: 'array', description: 'Refused: see strategy.dockerStrategy.stages.', items: { type: 'string' } },
  }, ['from', 'paths'], [absent('as', 'source.images[].as is not supported: name the stage in the Dockerfile (FROM image AS name) and give its image with strategy.dockerStrategy.stages')]),
  BUILDCONFIG_LIMITS.imageSources, {
    'x-kubernetes-validations': [{
      rule: 'self.all(i, !has(i.pullSecret) || self.all(j, !has(j.pullSecret) || j.pullSecret.name == i.pullSecret.name))',
      message: 'source.images name two pullSecrets: the image sources are pulled with one Secret; merge the registries\' credentials into one kubernetes.io/dockerconfigjson Secret and name it in each',
    }],
  }),
  contextDir: str('The sub-directory of the sources to build.'),
  sourceSecret: secretRef('A kubernetes.io/basic-auth or kubernetes.io/ssh-auth Secret for the clone.'),
  secrets: arr("Secrets whose files the build's RUN instructions see, read-only, in /<destinationDir>; never in the image.",
    obj('', { secret: secretRef('The Secret.'), destinationDir: destinationDir('the Secret') }, ['secret', 'destinationDir']), BUILDCONFIG_LIMITS.mountedSources),
  configMaps: arr("ConfigMaps whose files the build's RUN instructions see, read-only, in /<destinationDir>; never in the image.",
    obj('', { configMap: localRef('The ConfigMap.', 'ConfigMap'), destinationDir: destinationDir('the ConfigMap') }, ['configMap', 'destinationDir']), BUILDCONFIG_LIMITS.mountedSources),
}, undefined, [
  {
    rule: '!(has(self.dockerfile) && has(self.git))',
    message: 'source.dockerfile together with source.git is not supported: commit the Dockerfile to the repository and name it with strategy.dockerStrategy.dockerfilePath',
    fieldPath: '.dockerfile',
  },
  {
    rule: '!(has(self.dockerfile) && has(self.binary))',
    message: 'source.dockerfile together with source.binary is not supported: put the Dockerfile in the uploaded sources and name it with strategy.dockerStrategy.dockerfilePath',
    fieldPath: '.dockerfile',
  },
  {
    rule: '!(has(self.binary) && has(self.git))',
    message: 'source.binary together with source.git: a build takes one of them; keep git to build the repository, or binary to build what start-build uploads',
    fieldPath: '.binary',
  },
  {
    rule: `!has(self.type) || self.type == (${INFERRED_SOURCE_TYPE})`,
    message: 'source.type disagrees with the source present (git: Git, else dockerfile: Dockerfile, binary: Binary, images: Image, nothing: None): make them agree, or leave type out (it is inferred)',
    fieldPath: '.type',
  },
]);

const output = obj('Where the image is pushed; without to, it is built and not pushed.', {
  to: imageReference('An ImageStreamTag ("stream:tag", recorded in the stream) or a DockerImage reference.'),
  pushSecret: secretRef('A kubernetes.io/dockerconfigjson Secret for the push.'),
  imageLabels: arr('Labels set on the image; of two with one name, the last wins.',
    obj('', { name: str('The label.', { minLength: 1 }), value: str('Its value.') }, ['name', 'value']), BUILDCONFIG_LIMITS.labels),
}, undefined, [{
  rule: "!has(self.to) || self.to.kind != 'ImageStreamImage'",
  message: 'output.to cannot be an ImageStreamImage (an image already in a stream\'s history): push to an ImageStreamTag or a DockerImage',
  fieldPath: '.to.kind',
}]);

const webhook = obj('A webhook of the git host; the shared secret authenticates its calls.', {
  secretReference: secretRef('A Secret whose key WebHookSecretKey holds the shared secret.'),
  secret: str('The shared secret itself (deprecated in OpenShift: prefer secretReference).'),
  allowEnv: bool('Generic only: let the payload\'s env add to the build\'s env.'),
});

/** The field of a trigger that holds the settings of each trigger type. */
const TRIGGER_FIELDS: Record<BuildTriggerType, string> = { ...WEBHOOK_FIELDS, ImageChange: 'imageChange', ConfigChange: 'configChange', GitPoll: 'gitPoll' };
const spellingsOf = (type: BuildTriggerType): string => `[${TRIGGER_TYPE_SPELLINGS.filter((s) => canonicalTriggerType(s) === type).map((s) => `'${s}'`).join(', ')}]`;

const triggerRules: Rule[] = [
  ...Object.entries(TRIGGER_FIELDS).map(([type, field]): Rule => ({
    rule: `!has(self.${field}) || self.type in ${spellingsOf(type as BuildTriggerType)}`,
    message: `${field} holds the settings of a ${type} trigger: set type ${type}, or give those settings a trigger of their own`,
    fieldPath: `.${field}`,
  })),
  ...Object.entries(WEBHOOK_FIELDS).map(([type, field]): Rule => ({
    rule: `!(self.type in ${spellingsOf(type as BuildTriggerType)}) || (has(self.${field}) && (has(self.${field}.secretReference) || has(self.${field}.secret)))`,
    message: `a ${type} trigger needs ${field}.secretReference (a Secret whose key WebHookSecretKey holds the shared secret) or ${field}.secret`,
    fieldPath: '.type',
  })),
  ...Object.entries(WEBHOOK_FIELDS).filter(([type]) => type !== 'Generic').map(([type, field]): Rule => ({
    rule: `!has(self.${field}) || !has(self.${field}.allowEnv) || !self.${field}.allowEnv`,
    message: `${field}.allowEnv: only a Generic webhook's payload can set env; a ${type} webhook cannot`,
    fieldPath: `.${field}.allowEnv`,
  })),
  { rule: "self.type != 'GitPoll' || has(self.gitPoll)", message: 'a GitPoll trigger needs gitPoll.interval', fieldPath: '.type' },
];

const trigger = obj('What starts builds; type names the trigger, and the field of that type holds its settings.', {
  type: str('The trigger, and the older spellings OpenShift still reads (github, generic, imageChange).', { enum: [...TRIGGER_TYPE_SPELLINGS], maxLength: 32 }),
  imageChange: obj('Build when a stream tag points at a new image.', {
    from: imageReference('The stream tag (default: the strategy\'s from).'),
    paused: bool('Start no builds while true.'),
    lastTriggeredImageID: str('Refused: OpenShift\'s own record (deprecated).'),
  }, undefined, [
    absent('lastTriggeredImageID', 'imageChange.lastTriggeredImageID is OpenShift\'s own record (deprecated): remove it; status.imageChangeTriggers[].lastTriggeredImage records it here'),
    {
      rule: "!has(self.from) || self.from.kind == 'ImageStreamTag'",
      message: 'imageChange.from must be an ImageStreamTag (stream:tag), as in OpenShift: builds follow a stream\'s tag; to follow an external image, import it into a stream',
      fieldPath: '.from.kind',
    },
  ]),
  configChange: obj('Build once when the BuildConfig is created.', { onSpecChange: bool('Also build when the spec changes (beyond OpenShift).') }),
  github: webhook, gitlab: webhook, bitbucket: webhook, generic: webhook,
  gitPoll: obj('Build new commits of the branch, found by a CronJob running git ls-remote (beyond OpenShift).', {
    interval: str('How often, as a Go duration (5m0s).', { minLength: 1 }),
  }, ['interval']),
}, ['type'], triggerRules);

const paramValue: JSONSchemaProps = { 'x-kubernetes-preserve-unknown-fields': true, description: 'A string, or a list of strings.' };

const workspace = obj('A PipelineRun workspace binding, copied into each run.', {
  name: str('The Pipeline workspace.'),
  secret: obj('', { secretName: str('The Secret.') }, ['secretName']),
  configMap: obj('', { name: str('The ConfigMap.') }, ['name']),
  emptyDir: { type: 'object' },
  projected: { type: 'object', description: 'Files of ConfigMaps and Secrets (registry CAs).', 'x-kubernetes-preserve-unknown-fields': true },
  volumeClaimTemplate: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
}, ['name']);

const keyRef = (what: string) => obj('', { name: str(`The ${what}.`, { minLength: 1 }), key: str('The key holding the PEM bundle.', { minLength: 1 }) }, ['name', 'key']);
const registry = obj('How builds reach one registry (beyond OpenShift, whose cluster-wide image settings do this).', {
  host: str('host[:port], as image references name it.', { minLength: 1 }),
  insecure: bool('Plain http, or https without certificate verification: for this host only.'),
  ca: obj('A private CA bundle (PEM) the host\'s certificate chains to.', { configMap: keyRef('ConfigMap'), secret: keyRef('Secret') }),
}, ['host']);

const quantity: JSONSchemaProps = { 'x-kubernetes-int-or-string': true, pattern: QUANTITY_PATTERN };
const resources = obj('Compute resources of the build step.', {
  requests: { type: 'object', description: 'What the build step is guaranteed (cpu, memory, ephemeral-storage).', additionalProperties: quantity },
  limits: { type: 'object', description: 'What the build step may use at most.', additionalProperties: quantity },
  claims: refusedList('Refused: dynamic resource claims.'),
}, undefined, [absent('claims', 'resources.claims is not supported: a build step takes requests and limits only')]);

const spec = obj('What is built and how, and what starts builds.', {
  pipelineRef: obj('The Tekton Pipeline each build runs (default: the Pipeline made from this spec, embedded in each run).', {
    name: str('Its name, in this namespace.', { minLength: 1 }),
  }, ['name']),
  params: arr('Params for every run beyond those the spec sets; the Pipeline\'s defaults cover the rest.',
    obj('', { name: str('The param.'), value: paramValue }, ['name', 'value']), BUILDCONFIG_LIMITS.params),
  source: { ...source, default: {} },
  strategy,
  output,
  triggers: arr('What starts builds; without triggers, builds start only by hand (start-build).', trigger, BUILDCONFIG_LIMITS.triggers),
  runPolicy: str('Serial: one build at a time, in order; Parallel: no limit; SerialLatestOnly: one at a time, queued builds replaced by the newest.', {
    enum: ['Serial', 'Parallel', 'SerialLatestOnly'], default: 'Serial',
  }),
  successfulBuildsHistoryLimit: int('Successful builds kept.', { minimum: 0, default: 5 }),
  failedBuildsHistoryLimit: int('Failed builds kept.', { minimum: 0, default: 5 }),
  timeout: str('How long a build may run, a Go duration such as 1h0m0s (beyond OpenShift; wins over completionDeadlineSeconds).', { pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' }),
  completionDeadlineSeconds: int('How long a build may run, in seconds.', { format: 'int64', minimum: 1 }),
  serviceAccountName: str('The ServiceAccount the build pods run as (default: the namespace\'s default).'),
  serviceAccount: str('OpenShift\'s name for serviceAccountName.'),
  workspaces: arr('PipelineRun workspace bindings (default: those the spec implies).', workspace, BUILDCONFIG_LIMITS.workspaces),
  podTemplate: obj('Pod settings for every TaskRun.', {
    nodeSelector: stringMap('Node labels the build pods must match (wins over nodeSelector).'),
    hostUsers: bool('false: a user namespace (Kubernetes >= 1.33).'),
    automountServiceAccountToken: bool('Mount an API token in build pods.'),
  }),
  nodeSelector: stringMap('Node labels the build pods must match.'),
  resources,
  registries: arr('Registries reached insecurely or with a private CA (default: none, verified https with the system\'s CAs).', registry, BUILDCONFIG_LIMITS.registries),
  postCommit: obj('A command run in the built image before the push; its failure fails the build and nothing is pushed.', {
    script: str('A shell script, run with /bin/sh -ic.'),
    command: { type: 'array', description: 'The command, an exec array, instead of the image\'s entrypoint.', items: { type: 'string' } },
    args: { type: 'array', description: 'Arguments after the command, the script ($1, $2 …) or the entrypoint.', items: { type: 'string' } },
  }, undefined, [{ rule: '!(has(self.script) && has(self.command))', message: 'postCommit takes script or command, not both (args go to either)', fieldPath: '.command' }]),
  revision: refusedObject('Refused: a build\'s record of its commit.'),
  mountTrustedCA: bool('Refused when true: there is no cluster-wide CA bundle here.'),
}, ['strategy'], [
  absent('revision', 'revision is a build\'s record of the commit it built, not a BuildConfig setting: pin a commit with source.git.ref'),
  {
    rule: "!has(self.source) || !has(self.source.images) || size(self.source.images) == 0 || !(has(self.strategy.buildpacksStrategy) || (has(self.strategy.type) && self.strategy.type == 'Buildpacks'))",
    message: 'source.images is for the Docker and Source strategies: a Buildpacks build reads only its sources; copy the files in with a Docker build, or remove source.images',
    fieldPath: '.source.images',
  },
  {
    rule: '!has(self.mountTrustedCA) || !self.mountTrustedCA',
    message: 'mountTrustedCA: true is not supported (there is no cluster-wide trusted CA bundle here): give each registry\'s CA with spec.registries[].ca',
    fieldPath: '.mountTrustedCA',
  },
]);

const condition = obj('', {
  type: str('The condition.'),
  status: str('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
  reason: str('CamelCase reason.'),
  message: str('Human-readable detail.'),
  lastTransitionTime: str('When status last changed.', RFC3339),
}, ['type', 'status']);

const status = obj('Set by the controller.', {
  lastVersion: int('The number of the newest build.', { minimum: 0 }),
  imageChangeTriggers: {
    type: 'array',
    items: obj('', {
      from: imageReference('The trigger\'s image.', false),
      lastTriggeredImage: str('The digest reference the last triggered build used.'),
      lastTriggerTime: str('When.', RFC3339),
      // OpenShift's record, in the status `oc get -o yaml` prints: declared so that such a manifest applies
      // (a status written to the object itself is dropped; the status subresource is the controller's).
      lastTriggeredImageID: str('OpenShift\'s record of the image; ignored here.'),
    }, ['from']),
  },
  conditions: { type: 'array', items: condition, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
  observedGeneration: int('The generation the controller last acted on.'),
  outputDockerImageReference: str('A BuildConfig without a Pipeline: where its builds push, as the controller worked it out.'),
});

/** The BuildConfig CRD: structural schema, status subresource, and columns like `oc get bc`. */
export function buildConfigCrd(): CustomResourceDefinitionManifest {
  return defineCrd({
    kind: BUILDCONFIG_KIND,
    plural: BUILDCONFIG_PLURAL,
    singular: 'buildconfig',
    shortNames: ['bc'],
    description: 'Builds of an image from sources, started by triggers (OpenShift\'s build.openshift.io/v1 BuildConfig).',
    spec,
    status,
    printerColumns: [
      { name: 'From', type: 'string', jsonPath: '.spec.source.git.uri', description: 'The git repository.' },
      { name: 'To', type: 'string', jsonPath: '.spec.output.to.name', description: 'Where builds push.' },
      { name: 'Latest', type: 'integer', jsonPath: '.status.lastVersion', description: 'The newest build.' },
      { name: 'Type', type: 'string', jsonPath: '.spec.strategy.type', description: 'The strategy type as written (empty when inferred from the strategy options).', priority: 1 },
    ],
  });
}
