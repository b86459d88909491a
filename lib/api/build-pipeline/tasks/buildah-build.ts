import type { TaskSpec, VolumeMount } from '../../tekton';
import { paramEnv } from './_env';
import { BUILDAH_BUILD_SCRIPT, BUILDAH_PUSH_SCRIPT } from './buildah-build-scripts';
import { PROVENANCE_SCRIPT } from './provenance-script';
import { buildahSecurityContext, type BuildahSecurityOptions } from './buildah-security';
import { DEFAULT_IMAGES } from './images';

export const BUILDAH_BUILD_TASK_NAME = 'buildah-build';

const STORAGE: VolumeMount = { name: 'varlibcontainers', mountPath: '/var/lib/containers' };
const REGISTRY_CAS_ENV = [
  { name: 'WORKSPACE_REGISTRY_CAS_BOUND', value: '$(workspaces.registry-cas.bound)' },
  { name: 'WORKSPACE_REGISTRY_CAS_PATH', value: '$(workspaces.registry-cas.path)' },
];

/**
 * Builds a Dockerfile from workspace `source` with buildah (vfs, chroot isolation, no privileges)
 * and pushes it. Results: IMAGE_DIGEST (sha256:…) and IMAGE_URL.
 */
export function buildahBuildTask(security: BuildahSecurityOptions = {}): TaskSpec {
  return {
    description: 'Build a Dockerfile with buildah and push the image.',
    params: [
      { name: 'IMAGE', type: 'string', description: 'Reference to push to, e.g. registry:5000/ns/app:latest; empty: built and not pushed (IMAGE_DIGEST is what it would be).' },
      { name: 'DOCKERFILE', type: 'string', default: './Dockerfile', description: 'Path relative to CONTEXT.' },
      { name: 'CONTEXT', type: 'string', default: '.', description: 'Build context, relative to the source workspace.' },
      { name: 'BUILD_ARGS', type: 'array', default: [], description: 'NAME=value items for --build-arg.' },
      { name: 'LABELS', type: 'array', default: [], description: 'key=value items for --label.' },
      { name: 'ENV', type: 'array', default: [], description: 'NAME=value items for --env: set during RUN and in the image.' },
      { name: 'BASE_IMAGE', type: 'string', default: '', description: 'Replaces the image of the last FROM (the stage that becomes the image); empty keeps it.' },
      { name: 'STAGE_IMAGES', type: 'array', default: [], description: 'stage=image items: each replaces the image of the FROM of that named stage.' },
      { name: 'NO_CACHE', type: 'string', default: 'false', description: 'true reuses no layer (neither pulled from CACHE_REPOSITORY nor pushed there).' },
      { name: 'CACHE_REPOSITORY', type: 'string', default: '', description: 'A repository (host/path) for the layer cache: step images are pulled from it and pushed to it by cache key; empty = none.' },
      { name: 'CACHE_PUSH_FROM_BUILD', type: 'string', default: 'false', description: 'true: the build step pushes the layer cache itself (set when its pull credentials are the push credentials); false: the push step replays the build to push it.' },
      { name: 'SQUASH', type: 'string', default: 'false', description: "true: the instructions make one layer over the base's, and no layer cache (OpenShift's imageOptimizationPolicy SkipLayers)." },
      { name: 'S2I', type: 'string', default: 'false', description: "true: the Dockerfile is s2i-generate's: its scripts directory comes from the builder's io.openshift.s2i.scripts-url label, and Dockerfile.incremental is taken when the output image exists." },
      { name: 'SOURCE_DATE_EPOCH', type: 'string', default: '', description: "The commit's time (seconds since 1970): the SOURCE_DATE_EPOCH build arg and the org.opencontainers.image.created label; empty = neither." },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https; every other registry is verified.' },
      { name: 'FORMAT', type: 'string', default: 'oci', description: 'Manifest format: oci or docker.' },
      { name: 'BUILDER_IMAGE', type: 'string', default: DEFAULT_IMAGES.buildah, description: 'Image with buildah.' },
      { name: 'PROVENANCE', type: 'string', default: 'true', description: 'true pushes a SLSA provenance statement of the image to its repository, as an OCI referrer (tag sha256-<hex>).' },
      { name: 'BUILD_CONFIG', type: 'string', default: '', description: 'namespace/name of the BuildConfig, for the provenance statement.' },
      { name: 'SOURCE_URL', type: 'string', default: '', description: 'The git repository built, for the provenance statement.' },
      { name: 'SOURCE_COMMIT', type: 'string', default: '', description: 'The commit built, for the provenance statement.' },
      { name: 'RUN', type: 'string', default: '', description: 'Which run this is (namespace/PipelineRun name): the provenance statement\'s invocationId.' },
      { name: 'PROVENANCE_IMAGE', type: 'string', default: DEFAULT_IMAGES.node, description: 'Image with node, for the provenance step.' },
    ],
    workspaces: [
      { name: 'source', description: 'The checked-out sources.' },
      { name: 'dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for the push.' },
      { name: 'pull-dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for pulling base images.' },
      { name: 'registry-cas', optional: true, readOnly: true, description: 'CA bundles of registries with private CAs, as <host[:port]>/ca.crt files.' },
    ],
    results: [
      { name: 'IMAGE_DIGEST', description: 'Digest of the pushed manifest.' },
      { name: 'IMAGE_URL', description: 'The reference that was pushed.' },
      { name: 'BASE_IMAGE', description: 'The image the last stage starts from, repository@sha256:… (empty for scratch or a base named by a build ARG).' },
    ],
    volumes: [{ name: STORAGE.name, emptyDir: {} }],
    stepTemplate: { securityContext: buildahSecurityContext(security) },
    steps: [
      {
        name: 'build',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BASE_IMAGE', 'NO_CACHE', 'CACHE_REPOSITORY', 'CACHE_PUSH_FROM_BUILD', 'S2I', 'SQUASH', 'SOURCE_DATE_EPOCH', 'FORMAT']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_BOUND', value: '$(workspaces.pull-dockerconfig.bound)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_PATH', value: '$(workspaces.pull-dockerconfig.path)' },
          { name: 'RESULT_BASE_IMAGE_PATH', value: '$(results.BASE_IMAGE.path)' },
          ...REGISTRY_CAS_ENV,
        ],
        args: ['--insecure-registries', '$(params.INSECURE_REGISTRIES[*])', '--build-args', '$(params.BUILD_ARGS[*])', '--labels', '$(params.LABELS[*])', '--envs', '$(params.ENV[*])', '--stage-images', '$(params.STAGE_IMAGES[*])'],
        volumeMounts: [STORAGE],
        // Only this step sees the pull credentials (Tekton isolated workspaces).
        workspaces: [{ name: 'pull-dockerconfig' }, { name: 'registry-cas' }],
        script: BUILDAH_BUILD_SCRIPT,
      },
      {
        name: 'push',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['IMAGE', 'NO_CACHE', 'CACHE_REPOSITORY']),
          { name: 'WORKSPACE_DOCKERCONFIG_BOUND', value: '$(workspaces.dockerconfig.bound)' },
          { name: 'WORKSPACE_DOCKERCONFIG_PATH', value: '$(workspaces.dockerconfig.path)' },
          { name: 'RESULT_IMAGE_DIGEST_PATH', value: '$(results.IMAGE_DIGEST.path)' },
          { name: 'RESULT_IMAGE_URL_PATH', value: '$(results.IMAGE_URL.path)' },
          ...REGISTRY_CAS_ENV,
        ],
        args: ['$(params.INSECURE_REGISTRIES[*])'],
        volumeMounts: [STORAGE],
        // Only this step sees the push credentials (Tekton isolated workspaces).
        workspaces: [{ name: 'dockerconfig' }, { name: 'registry-cas' }],
        script: BUILDAH_PUSH_SCRIPT,
      },
      {
        name: 'provenance',
        image: '$(params.PROVENANCE_IMAGE)',
        env: [
          ...paramEnv(['IMAGE', 'PROVENANCE', 'BUILD_CONFIG', 'SOURCE_URL', 'SOURCE_COMMIT', 'RUN']),
          { name: 'WORKSPACE_DOCKERCONFIG_BOUND', value: '$(workspaces.dockerconfig.bound)' },
          { name: 'WORKSPACE_DOCKERCONFIG_PATH', value: '$(workspaces.dockerconfig.path)' },
          { name: 'RESULT_IMAGE_DIGEST_PATH', value: '$(results.IMAGE_DIGEST.path)' },
          { name: 'RESULT_BASE_IMAGE_PATH', value: '$(results.BASE_IMAGE.path)' },
          ...REGISTRY_CAS_ENV,
        ],
        args: ['$(params.INSECURE_REGISTRIES[*])'],
        volumeMounts: [{ ...STORAGE, readOnly: true }],
        // Runs no code of the sources; sees the push credentials only, as a user without privileges.
        securityContext: {
          runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        },
        workspaces: [{ name: 'dockerconfig' }, { name: 'registry-cas' }],
        script: PROVENANCE_SCRIPT,
      },
    ],
  };
}
