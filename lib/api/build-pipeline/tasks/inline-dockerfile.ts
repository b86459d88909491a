import { DECODE_LITERAL_SH } from '../../literal-params';
import type { TaskSpec } from '../../tekton';
import { paramEnv } from './_env';
import { DEFAULT_IMAGES } from './images';

export const INLINE_DOCKERFILE_TASK_NAME = 'inline-dockerfile';

// The text arrives in an env var, never pasted into the script: it may hold quotes. It is
// percent-encoded in % and $ (lib/api/literal-params.ts), so that `$(…)` in it reaches buildah as written.
const SCRIPT = `#!/bin/sh
set -eu
${DECODE_LITERAL_SH}
decode_literal text "$PARAM_DOCKERFILE_TEXT"
[ -n "$text" ] || { echo "inline-dockerfile: param DOCKERFILE_TEXT is empty" >&2; exit 1; }
# A reused volume may hold an older build's files: start from an empty directory.
mkdir -p "$WORKSPACE_SOURCE_PATH"
find "$WORKSPACE_SOURCE_PATH" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
printf '%s\\n' "$text" > "$WORKSPACE_SOURCE_PATH/Dockerfile"
`;

/** Writes an inline Dockerfile (a BuildConfig's `BuildSource.dockerfile()`) into workspace `source`. */
export function inlineDockerfileTask(): TaskSpec {
  return {
    description: 'Write an inline Dockerfile into the source workspace.',
    params: [
      { name: 'DOCKERFILE_TEXT', type: 'string', description: 'The Dockerfile, % and $ percent-encoded.' },
      { name: 'SHELL_IMAGE', type: 'string', default: DEFAULT_IMAGES.shell, description: 'Image with sh and find.' },
    ],
    workspaces: [{ name: 'source', description: 'Receives the Dockerfile.' }],
    steps: [
      {
        name: 'write',
        image: '$(params.SHELL_IMAGE)',
        env: [...paramEnv(['DOCKERFILE_TEXT']), { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        script: SCRIPT,
      },
    ],
  };
}
