import type { EnvVar, SecurityContext, Step, TaskSpec, VolumeMount } from '../../tekton';
import { paramEnv } from './_env';
import {
  ANALYZE_SCRIPT, BUILD_SCRIPT, DETECT_SCRIPT, EXPORT_SCRIPT, PREPARE_SCRIPT, RESTORE_SCRIPT,
} from './buildpacks-script';

export const BUILDPACKS_TASK_NAME = 'buildpacks';
/**
 * The lifecycle's platform API this Task speaks: 0.13 is the first with `-insecure-registry`
 * (lifecycle >= 0.18, in Paketo's builders since builder-jammy-base 0.4.280).
 */
export const CNB_PLATFORM_API = '0.13';

/**
 * The lifecycle's directories, emptyDir volumes the steps share. The exported image keeps the app
 * and layers paths (its WORKDIR, CNB_APP_DIR and CNB_LAYERS_DIR), so they are fixed.
 */
export const CNB_DIRS = Object.freeze({ app: '/workspace/app', layers: '/layers', platform: '/platform' });

/** The step that runs the buildpacks: where a build's compute resources belong. */
export const BUILDPACKS_BUILD_STEP = 'build';

export interface BuildpacksTaskOptions {
  /**
   * The builder's CNB user id: every step runs as it (no root, no capabilities).
   * @default 1000
   */
  readonly userId?: number;
  /**
   * The builder's CNB group id.
   * @default 1000
   */
  readonly groupId?: number;
}

const APP: VolumeMount = { name: 'cnb-app', mountPath: CNB_DIRS.app };
const LAYERS: VolumeMount = { name: 'cnb-layers', mountPath: CNB_DIRS.layers };
const PLATFORM: VolumeMount = { name: 'cnb-platform', mountPath: CNB_DIRS.platform };

const env = (name: string, value: string): EnvVar => ({ name, value });
const PLATFORM_API = env('CNB_PLATFORM_API', CNB_PLATFORM_API);
const APP_DIR = env('CNB_APP_DIR', CNB_DIRS.app);
const LAYERS_DIR = env('CNB_LAYERS_DIR', CNB_DIRS.layers);
const PLATFORM_DIR = env('CNB_PLATFORM_DIR', CNB_DIRS.platform);
/** What the two steps that reach registries read: the push Secret and the private CAs. */
const REGISTRY_ENV = [
  { name: 'WORKSPACE_DOCKERCONFIG_BOUND', value: '$(workspaces.dockerconfig.bound)' },
  { name: 'WORKSPACE_DOCKERCONFIG_PATH', value: '$(workspaces.dockerconfig.path)' },
  { name: 'WORKSPACE_REGISTRY_CAS_BOUND', value: '$(workspaces.registry-cas.bound)' },
  { name: 'WORKSPACE_REGISTRY_CAS_PATH', value: '$(workspaces.registry-cas.path)' },
];
const INSECURE_REGISTRIES_ARGS = ['$(params.INSECURE_REGISTRIES[*])'];

/**
 * Builds and pushes with Cloud Native Buildpacks, one step per phase of the lifecycle as the
 * platform spec orders them (analyze, detect, restore, build, export) after a prepare step, every
 * step as the builder's CNB user, Pod Security "restricted". Only analyze and export, which run
 * nothing but the lifecycle, see the push credentials (Tekton isolated workspaces): detect and
 * build run the buildpacks on the user's sources without them. Results: IMAGE_DIGEST, IMAGE_URL.
 * @see https://github.com/buildpacks/spec/blob/platform/v0.13/platform.md
 */
export function buildpacksTask(options: BuildpacksTaskOptions = {}): TaskSpec {
  const uid = options.userId ?? 1000;
  const gid = options.groupId ?? 1000;
  const securityContext: SecurityContext = {
    runAsUser: uid,
    runAsGroup: gid,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const ids = [env('CNB_USER_ID', String(uid)), env('CNB_GROUP_ID', String(gid))];
  const step = (name: string, script: string, fields: Omit<Step, 'name' | 'image' | 'script'>): Step => ({
    name, image: '$(params.BUILDER_IMAGE)', ...fields, securityContext, script,
  });
  return {
    description: 'Build and push an image with Cloud Native Buildpacks, a step per lifecycle phase; only analyze and export see the push credentials.',
    params: [
      { name: 'IMAGE', type: 'string', description: 'Reference to push to.' },
      { name: 'BUILDER_IMAGE', type: 'string', description: 'The CNB builder image, pinned.' },
      { name: 'CONTEXT', type: 'string', default: '.', description: 'Source directory, relative to the source workspace.' },
      { name: 'ENV', type: 'array', default: [], description: 'NAME=value items of build-time env (platform env files).' },
      { name: 'INSECURE_REGISTRIES', type: 'array', default: [], description: 'Registry hosts (host[:port]) reached over http or unverified https; every other registry is verified.' },
    ],
    workspaces: [
      { name: 'source', readOnly: true, description: 'The checked-out sources.' },
      { name: 'dockerconfig', optional: true, readOnly: true, description: 'A kubernetes.io/dockerconfigjson secret for the push (seen by the analyze and export steps only).' },
      { name: 'registry-cas', optional: true, readOnly: true, description: 'CA bundles of registries with private CAs, as <host[:port]>/ca.crt files.' },
    ],
    results: [
      { name: 'IMAGE_DIGEST', description: 'Digest of the pushed manifest.' },
      { name: 'IMAGE_URL', description: 'The reference that was pushed.' },
    ],
    volumes: [APP, LAYERS, PLATFORM].map((mount) => ({ name: mount.name, emptyDir: {} })),
    steps: [
      step('prepare', PREPARE_SCRIPT, {
        env: [...paramEnv(['CONTEXT']), env('WORKSPACE_SOURCE_PATH', '$(workspaces.source.path)'), APP_DIR, PLATFORM_DIR],
        args: ['$(params.ENV[*])'],
        volumeMounts: [APP, PLATFORM],
        workspaces: [{ name: 'source' }],
      }),
      step('analyze', ANALYZE_SCRIPT, {
        env: [...paramEnv(['IMAGE']), PLATFORM_API, LAYERS_DIR, ...ids, ...REGISTRY_ENV],
        args: INSECURE_REGISTRIES_ARGS,
        volumeMounts: [LAYERS],
        workspaces: [{ name: 'dockerconfig' }, { name: 'registry-cas' }],
      }),
      step('detect', DETECT_SCRIPT, {
        env: [PLATFORM_API, APP_DIR, LAYERS_DIR, PLATFORM_DIR],
        volumeMounts: [APP, LAYERS, PLATFORM],
      }),
      step('restore', RESTORE_SCRIPT, {
        env: [PLATFORM_API, LAYERS_DIR, ...ids],
        volumeMounts: [LAYERS],
      }),
      step(BUILDPACKS_BUILD_STEP, BUILD_SCRIPT, {
        env: [PLATFORM_API, APP_DIR, LAYERS_DIR, PLATFORM_DIR],
        volumeMounts: [APP, LAYERS, PLATFORM],
      }),
      step('export', EXPORT_SCRIPT, {
        env: [
          ...paramEnv(['IMAGE']), PLATFORM_API, APP_DIR, LAYERS_DIR, ...ids, ...REGISTRY_ENV,
          env('RESULT_IMAGE_DIGEST_PATH', '$(results.IMAGE_DIGEST.path)'),
          env('RESULT_IMAGE_URL_PATH', '$(results.IMAGE_URL.path)'),
        ],
        args: INSECURE_REGISTRIES_ARGS,
        volumeMounts: [APP, LAYERS],
        workspaces: [{ name: 'dockerconfig' }, { name: 'registry-cas' }],
      }),
    ],
  };
}
