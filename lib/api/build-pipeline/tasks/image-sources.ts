import type { TaskSpec, VolumeMount } from '../../tekton';
import { encodeLiteral } from '../../literal-params';
import { paramEnv } from './_env';
import { BUILDAH_CAPABILITIES } from './buildah-security';
import { DEFAULT_IMAGES } from './images';
import { IMAGE_SOURCES_SCRIPT } from './image-sources-script';

export const IMAGE_SOURCES_TASK_NAME = 'image-sources';

const STORAGE: VolumeMount = { name: 'varlibcontainers', mountPath: '/var/lib/containers' };

/**
 * One path of an image source as the IMAGE_SOURCE_PATHS param carries it: `index=destinationDir=sourcePath`,
 * each percent-encoded in `%` and `$` (encodeLiteral), `=` (%3D) and blanks (%20).
 */
export function imageSourcePathItem(index: number, destinationDir: string, sourcePath: string): string {
  const encode = (value: string) => encodeLiteral(value).replace(/=/g, '%3D').replace(/ /g, '%20');
  return `${index}=${encode(destinationDir)}=${encode(sourcePath)}`;
}

/**
 * OpenShift's image sources (`source.images`): copies paths out of images into workspace `source`,
 * after the fetch and before anything reads the sources.
 *
 * A Task of its own, not a step of the build Task: S2I's generate Task copies the sources into what
 * it builds, so the files must be there before it runs, as OpenShift puts them there before its
 * strategies run. Its one step runs no code of the sources nor of the images (buildah pulls and
 * reads them; sh, cp and chown do the rest), so it may hold what the build step must not: the pull
 * credentials, and DAC_OVERRIDE (in Pod Security baseline's list), with which root reads the files
 * of an image whatever their owner and mode (a 0600 file of the image's user), as OpenShift does.
 */
export function imageSourcesTask(): TaskSpec {
  return {
    description: 'Copy paths out of images into the source workspace (OpenShift\'s image sources).',
    params: [
      { name: 'IMAGE_SOURCES', type: 'array', default: [], description: 'index=image items: the image of each image source (stream tags by digest, set by the controller).' },
      { name: 'IMAGE_SOURCE_PATHS', type: 'array', description: 'index=destinationDir=sourcePath items, each part percent-encoded in %, $, = and blanks; destinationDir is relative to the sources\' root.' },
      { name: 'OWN_PULL_SECRET', type: 'array', default: [], description: 'Indexes of the image sources pulled with the Secret of workspace images-pull-dockerconfig (their own pullSecret) instead of pull-dockerconfig.' },
      { name: 'CLEAN', type: 'string', default: 'false', description: 'true empties the source workspace first (a source of images only).' },
      { name: 'KEEP', type: 'string', default: '', description: 'A file of the source workspace that no image overwrites (an inline Dockerfile).' },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https; every other registry is verified.' },
      { name: 'BUILDER_IMAGE', type: 'string', default: DEFAULT_IMAGES.buildah, description: 'Image with buildah.' },
    ],
    workspaces: [
      { name: 'source', description: 'Receives the files.' },
      { name: 'pull-dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for pulling the images.' },
      { name: 'images-pull-dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for pulling the images listed in OWN_PULL_SECRET.' },
      { name: 'registry-cas', optional: true, readOnly: true, description: 'CA bundles of registries with private CAs, as <host[:port]>/ca.crt files.' },
    ],
    volumes: [{ name: STORAGE.name, emptyDir: {} }],
    steps: [
      {
        name: 'copy',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['CLEAN', 'KEEP']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_BOUND', value: '$(workspaces.pull-dockerconfig.bound)' },
          { name: 'WORKSPACE_PULL_DOCKERCONFIG_PATH', value: '$(workspaces.pull-dockerconfig.path)' },
          { name: 'WORKSPACE_IMAGES_PULL_DOCKERCONFIG_BOUND', value: '$(workspaces.images-pull-dockerconfig.bound)' },
          { name: 'WORKSPACE_IMAGES_PULL_DOCKERCONFIG_PATH', value: '$(workspaces.images-pull-dockerconfig.path)' },
          { name: 'WORKSPACE_REGISTRY_CAS_BOUND', value: '$(workspaces.registry-cas.bound)' },
          { name: 'WORKSPACE_REGISTRY_CAS_PATH', value: '$(workspaces.registry-cas.path)' },
        ],
        args: ['--insecure-registries', '$(params.INSECURE_REGISTRIES[*])', '--images', '$(params.IMAGE_SOURCES[*])', '--paths', '$(params.IMAGE_SOURCE_PATHS[*])', '--own-pull-secret', '$(params.OWN_PULL_SECRET[*])'],
        volumeMounts: [STORAGE],
        securityContext: {
          runAsUser: 0,
          runAsGroup: 0,
          privileged: false,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'], add: [...BUILDAH_CAPABILITIES, 'DAC_OVERRIDE'].sort() },
        },
        script: IMAGE_SOURCES_SCRIPT,
      },
    ],
  };
}
