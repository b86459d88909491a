import type { TaskSpec, VolumeMount } from '../../../tekton';
import { paramEnv } from './_env';
import { BUILDAH_BUILD_SCRIPT, BUILDAH_PUSH_SCRIPT } from './buildah-build-scripts';
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
      { name: 'IMAGE', type: 'string', description: 'Reference to push to, e.g. registry:5000/ns/app:latest.' },
      { name: 'DOCKERFILE', type: 'string', default: './Dockerfile', description: 'Path relative to CONTEXT.' },
      { name: 'CONTEXT', type: 'string', default: '.', description: 'Build context, relative to the source workspace.' },
      { name: 'BUILD_ARGS', type: 'array', default: [], description: 'NAME=value items for --build-arg.' },
      { name: 'LABELS', type: 'array', default: [], description: 'key=value items for --label.' },
      { name: 'ENV', type: 'array', default: [], description: 'NAME=value items for --env: set during RUN and in the image.' },
      { name: 'BASE_IMAGE', type: 'string', default: '', description: 'Replaces the image of the last FROM (the stage that becomes the image); empty keeps it.' },
      { name: 'STAGE_IMAGES', type: 'array', default: [], description: 'stage=image items: each replaces the image of the FROM of that named stage.' },
      { name: 'NO_CACHE', type: 'string', default: 'false', description: 'true reuses no layer (neither pulled from CACHE_REPOSITORY nor pushed there).' },
      { name: 'CACHE_REPOSITORY', type: 'string', default: '', description: 'A repository (host/path) for the layer cache: step images are pulled from it and pushed to it by cache key; empty = none.' },
      { name: 'SOURCE_DATE_EPOCH', type: 'string', default: '', description: "The commit's time (seconds since 1970): the SOURCE_DATE_EPOCH build arg and the org.opencontainers.image.created label; empty = neither." },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https; every other registry is verified.' },
      { name: 'FORMAT', type: 'string', default: 'oci', description: 'Manifest format: oci or docker.' },
      { name: 'BUILDER_IMAGE', type: 'string', default: DEFAULT_IMAGES.buildah, description: 'Image with buildah.' },
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
    ],
    volumes: [{ name: STORAGE.name, emptyDir: {} }],
    stepTemplate: { securityContext: buildahSecurityContext(security) },
    steps: [
      {
        name: 'build',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['IMAGE', 'DOCKERFILE', 'CONTEXT', 'BASE_IMAGE', 'NO_CACHE', 'CACHE_REPOSITORY', 'SOURCE_DATE_EPOCH', 'FORMAT']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_BOUND', value: '$(workspaces.pull-dockerconfig.bound)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_PATH', value: '$(workspaces.pull-dockerconfig.path)' },
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
    ],
  };
}
