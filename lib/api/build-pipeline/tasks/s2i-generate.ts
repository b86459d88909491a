import type { TaskSpec } from '../../tekton';
import { paramEnv } from './_env';
import { DEFAULT_IMAGES } from './images';
import { builderImagesParam, DEFAULT_S2I_BUILDERS } from './s2i-builders';
import { S2I_GENERATE_SCRIPT } from './s2i-generate-script';

export const S2I_GENERATE_TASK_NAME = 's2i-generate';

/**
 * Detects the language of the sources and writes a Dockerfile over an S2I builder image, for
 * buildah-build to build. Results: CONTEXT and DOCKERFILE (relative to it), LANGUAGE, BUILDER_IMAGE.
 */
export function s2iGenerateTask(): TaskSpec {
  return {
    description: 'Write a Dockerfile that runs an S2I builder image\'s assemble script over the sources.',
    params: [
      { name: 'CONTEXT', type: 'string', default: '.', description: 'Source directory, relative to the source workspace.' },
      { name: 'LANGUAGE', type: 'string', default: '', description: 'Skips detection; empty = detect from marker files.' },
      { name: 'BUILDER_IMAGE', type: 'string', default: '', description: 'The builder; empty = from BUILDER_IMAGES by language.' },
      {
        name: 'BUILDER_IMAGES',
        type: 'array',
        default: builderImagesParam(DEFAULT_S2I_BUILDERS),
        description: 'language=image items.',
      },
      {
        name: 'SCRIPTS_URL',
        type: 'string',
        default: '',
        description: "Where the builder keeps assemble and run, image:///path; empty = the builder's io.openshift.s2i.scripts-url label, else image:///usr/libexec/s2i (read by the build step).",
      },
      { name: 'INCREMENTAL', type: 'string', default: 'false', description: "true also writes Dockerfile.incremental: the previous image's save-artifacts restored into /tmp/artifacts before assemble." },
      { name: 'BUILDER_USER', type: 'string', default: '1001', description: 'Numeric uid that runs assemble.' },
      { name: 'SHELL_IMAGE', type: 'string', default: DEFAULT_IMAGES.shell, description: 'Image with sh and cp.' },
    ],
    workspaces: [{ name: 'source', description: 'The checked-out sources; receives .imagestreams-s2i/.' }],
    results: [
      { name: 'CONTEXT', description: 'Build context for buildah-build, relative to the source workspace.' },
      { name: 'DOCKERFILE', description: 'The Dockerfile, relative to CONTEXT.' },
      { name: 'LANGUAGE', description: 'The detected (or given) language.' },
      { name: 'BUILDER_IMAGE', description: 'The builder image used.' },
    ],
    steps: [
      {
        name: 'generate',
        image: '$(params.SHELL_IMAGE)',
        env: [
          ...paramEnv(['CONTEXT', 'LANGUAGE', 'BUILDER_IMAGE', 'SCRIPTS_URL', 'BUILDER_USER', 'INCREMENTAL']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'RESULT_CONTEXT_PATH', value: '$(results.CONTEXT.path)' },
          { name: 'RESULT_DOCKERFILE_PATH', value: '$(results.DOCKERFILE.path)' },
          { name: 'RESULT_LANGUAGE_PATH', value: '$(results.LANGUAGE.path)' },
          { name: 'RESULT_BUILDER_IMAGE_PATH', value: '$(results.BUILDER_IMAGE.path)' },
        ],
        args: ['--builder-images', '$(params.BUILDER_IMAGES[*])'],
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        script: S2I_GENERATE_SCRIPT,
      },
    ],
  };
}
