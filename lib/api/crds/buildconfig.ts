import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { BUILDCONFIG_KIND, BUILDCONFIG_PLURAL } from '../group';
import { defineCrd } from './define-crd';

const str = (description: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'string', description, ...extra });
const int = (description: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'integer', description, ...extra });
const obj = (description: string, properties: Record<string, JSONSchemaProps>, required?: string[]): JSONSchemaProps => ({
  type: 'object', ...(description ? { description } : {}), properties, ...(required ? { required } : {}),
});
const RFC3339 = { format: 'date-time' } as const;
const secretRef = obj('A Secret in the BuildConfig\'s namespace.', { name: str('The Secret\'s name.', { minLength: 1 }) }, ['name']);
const destinationDir = (what: string): JSONSchemaProps => str(`Where RUN instructions find the files of ${what}: a relative path, from the root.`, { pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$' });
const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };

const imageReference = obj('An image (DockerImage) or a stream tag (ImageStreamTag, "stream:tag").', {
  kind: str('DockerImage or ImageStreamTag.', { enum: ['DockerImage', 'ImageStreamTag'] }),
  name: str('An image reference, or "stream:tag".', { minLength: 1 }),
  namespace: str("For ImageStreamTag: the stream's namespace (default: the BuildConfig's)."),
}, ['kind', 'name']);

const webhook = obj('A webhook whose Secret (key WebHookSecretKey) authenticates the git host.', { secretReference: secretRef }, ['secretReference']);

const trigger = obj('What starts builds; `type` names the field that is set.', {
  type: str('The trigger.', { enum: ['ImageChange', 'ConfigChange', 'GitPoll', 'GitHub', 'GitLab', 'Bitbucket', 'Generic'] }),
  imageChange: obj('Build when a stream tag moves.', { from: imageReference }),
  configChange: obj('Build on creation.', { onSpecChange: { type: 'boolean', description: 'Also build when the spec changes.' } }),
  github: webhook, gitlab: webhook, bitbucket: webhook, generic: webhook,
  gitPoll: obj('Build new commits of the branch, found by a CronJob running git ls-remote.', { interval: str('How often, as a Go duration (5m0s).') }, ['interval']),
}, ['type']);

const paramValue: JSONSchemaProps = { 'x-kubernetes-preserve-unknown-fields': true, description: 'A string, or a list of strings.' };

const workspace = obj('A PipelineRun workspace binding, copied into each run.', {
  name: str('The Pipeline workspace.'),
  secret: obj('', { secretName: str('The Secret.') }, ['secretName']),
  configMap: obj('', { name: str('The ConfigMap.') }, ['name']),
  emptyDir: { type: 'object' },
  projected: { type: 'object', description: 'Files of ConfigMaps and Secrets (registry CAs).', 'x-kubernetes-preserve-unknown-fields': true },
  volumeClaimTemplate: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
}, ['name']);

const spec = obj('What starts builds of the Pipeline, and how runs are admitted.', {
  pipelineRef: obj('The Tekton Pipeline each build runs.', { name: str('Its name, in this namespace.', { minLength: 1 }) }, ['name']),
  params: { type: 'array', description: 'Params for every run beyond BASE_IMAGE and REVISION.', items: obj('', { name: str('The param.'), value: paramValue }, ['name', 'value']) },
  source: obj('What is built.', {
    type: str('Git, Dockerfile, or Binary (sources uploaded by start-build --from-dir/--from-file/--from-archive).', { enum: ['Git', 'Dockerfile', 'Binary'] }),
    binary: obj('Uploaded sources.', { asFile: str('The name an uploaded single file gets in the build context.') }),
    git: obj('', { uri: str('The repository.', { minLength: 1 }), ref: str("Branch, tag or commit (default: the remote's default branch).") }, ['uri']),
    dockerfile: str('The inline Dockerfile.'),
    contextDir: str('The directory to build.'),
    sourceSecret: secretRef,
    secrets: {
      type: 'array',
      description: "Secrets whose files the build's RUN instructions see, read-only, in /<destinationDir>; never in the image.",
      items: obj('', { secret: secretRef, destinationDir: destinationDir('the Secret') }, ['secret', 'destinationDir']),
    },
    configMaps: {
      type: 'array',
      description: "ConfigMaps whose files the build's RUN instructions see, read-only, in /<destinationDir>; never in the image.",
      items: obj('', { configMap: obj('A ConfigMap in the BuildConfig\'s namespace.', { name: str("The ConfigMap's name.", { minLength: 1 }) }, ['name']), destinationDir: destinationDir('the ConfigMap') }, ['configMap', 'destinationDir']),
    },
  }, ['type']),
  strategy: obj('How the Pipeline builds.', {
    type: str('Docker, Source or Buildpacks.', { enum: ['Docker', 'Source', 'Buildpacks'] }),
    from: imageReference,
    stages: {
      type: 'array',
      description: 'Images of named stages of the Dockerfile (FROM image AS name), each replacing its stage\'s FROM.',
      items: obj('', { name: str('The stage name, lowercase.', { pattern: '^[a-z][a-z0-9_.-]*$' }), from: imageReference }, ['name', 'from']),
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    },
  }, ['type']),
  output: obj('Where builds push.', {
    to: imageReference,
    pushSecret: secretRef,
    imageLabels: { type: 'array', items: obj('', { name: str('Label key.'), value: str('Label value.') }, ['name', 'value']) },
  }, ['to']),
  triggers: { type: 'array', items: trigger },
  runPolicy: str('Serial, Parallel or SerialLatestOnly.', { enum: ['Serial', 'Parallel', 'SerialLatestOnly'], default: 'Serial' }),
  successfulBuildsHistoryLimit: int('Successful PipelineRuns kept.', { minimum: 0, default: 5 }),
  failedBuildsHistoryLimit: int('Failed PipelineRuns kept.', { minimum: 0, default: 5 }),
  timeout: str('The PipelineRun timeout, a Go duration such as 1h0m0s.', { pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' }),
  serviceAccountName: str('The ServiceAccount build pods run as.'),
  workspaces: { type: 'array', items: workspace },
  podTemplate: obj('Pod settings for every TaskRun.', {
    nodeSelector: stringMap,
    hostUsers: { type: 'boolean', description: 'false: a user namespace (Kubernetes >= 1.33).' },
    automountServiceAccountToken: { type: 'boolean' },
  }),
  postCommit: obj('A command run in the built image before the push; its failure fails the build and nothing is pushed.', {
    script: str('A shell script, run with /bin/sh -c.'),
    command: { type: 'array', description: 'The command, an exec array.', items: { type: 'string' } },
    args: { type: 'array', description: 'Arguments after the command (the script\'s $1, $2 …).', items: { type: 'string' } },
  }),
}, ['pipelineRef', 'source', 'strategy', 'output']);

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
      from: imageReference,
      lastTriggeredImage: str('The digest reference the last triggered build used.'),
      lastTriggerTime: str('When.', RFC3339),
    }, ['from']),
  },
  conditions: { type: 'array', items: condition, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
  observedGeneration: int('The generation the controller last acted on.'),
});

/** The BuildConfig CRD: structural schema, status subresource, and columns like `oc get bc`. */
export function buildConfigCrd(): CustomResourceDefinitionManifest {
  return defineCrd({
    kind: BUILDCONFIG_KIND,
    plural: BUILDCONFIG_PLURAL,
    singular: 'buildconfig',
    shortNames: ['bc'],
    description: 'Builds of an image from sources, started by triggers.',
    spec,
    status,
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.strategy.type', description: 'The build strategy.' },
      { name: 'From', type: 'string', jsonPath: '.spec.source.git.uri', description: 'The git repository.' },
      { name: 'Latest', type: 'integer', jsonPath: '.status.lastVersion', description: 'The newest build.' },
    ],
  });
}
