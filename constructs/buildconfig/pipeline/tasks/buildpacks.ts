import type { TaskSpec } from '../../../tekton';
import { paramEnv } from './_env';
import { BUILDPACKS_SCRIPT } from './buildpacks-script';

export const BUILDPACKS_TASK_NAME = 'buildpacks';
/** The lifecycle's platform API this Task speaks (report.toml, -insecure-registry). */
export const CNB_PLATFORM_API = '0.12';

export interface BuildpacksTaskOptions {
  /**
   * The builder's CNB user id: the step runs as it (no root, no capabilities).
   * @default 1000
   */
  readonly userId?: number;
  /**
   * The builder's CNB group id.
   * @default 1000
   */
  readonly groupId?: number;
}

/**
 * Builds and pushes with Cloud Native Buildpacks: the lifecycle's `creator` in the builder image,
 * as the builder's CNB user, Pod Security "restricted". Results: IMAGE_DIGEST and IMAGE_URL.
 */
export function buildpacksTask(options: BuildpacksTaskOptions = {}): TaskSpec {
  const uid = options.userId ?? 1000;
  const gid = options.groupId ?? 1000;
  return {
    description: 'Build and push an image with Cloud Native Buildpacks (lifecycle creator).',
    params: [
      { name: 'IMAGE', type: 'string', description: 'Reference to push to.' },
      { name: 'BUILDER_IMAGE', type: 'string', description: 'The CNB builder image, pinned.' },
      { name: 'CONTEXT', type: 'string', default: '.', description: 'Source directory, relative to the source workspace.' },
      { name: 'ENV', type: 'array', default: [], description: 'NAME=value items of build-time env (platform env files).' },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https; every other registry is verified.' },
    ],
    workspaces: [
      { name: 'source', readOnly: true, description: 'The checked-out sources.' },
      { name: 'dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for the push.' },
      { name: 'registry-cas', optional: true, readOnly: true, description: 'CA bundles of registries with private CAs, as <host[:port]>/ca.crt files.' },
    ],
    results: [
      { name: 'IMAGE_DIGEST', description: 'Digest of the pushed manifest.' },
      { name: 'IMAGE_URL', description: 'The reference that was pushed.' },
    ],
    steps: [
      {
        name: 'create',
        image: '$(params.BUILDER_IMAGE)',
        env: [
          ...paramEnv(['IMAGE', 'CONTEXT']),
          { name: 'CNB_PLATFORM_API', value: CNB_PLATFORM_API },
          { name: 'CNB_USER_ID', value: String(uid) },
          { name: 'CNB_GROUP_ID', value: String(gid) },
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_DOCKERCONFIG_BOUND', value: '$(workspaces.dockerconfig.bound)' },
          { name: 'WORKSPACE_DOCKERCONFIG_PATH', value: '$(workspaces.dockerconfig.path)' },
          { name: 'RESULT_IMAGE_DIGEST_PATH', value: '$(results.IMAGE_DIGEST.path)' },
          { name: 'RESULT_IMAGE_URL_PATH', value: '$(results.IMAGE_URL.path)' },
          { name: 'WORKSPACE_REGISTRY_CAS_BOUND', value: '$(workspaces.registry-cas.bound)' },
          { name: 'WORKSPACE_REGISTRY_CAS_PATH', value: '$(workspaces.registry-cas.path)' },
        ],
        args: ['--insecure-registries', '$(params.INSECURE_REGISTRIES[*])', '--envs', '$(params.ENV[*])'],
        securityContext: {
          runAsUser: uid,
          runAsGroup: gid,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        script: BUILDPACKS_SCRIPT,
      },
    ],
  };
}
