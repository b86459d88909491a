import type { TaskSpec } from '../../tekton';
import { paramEnv } from './_env';
import { GIT_FETCH_SCRIPT } from './git-fetch-script';
import { DEFAULT_IMAGES } from './images';

export const GIT_FETCH_TASK_NAME = 'git-fetch';

/**
 * Clones one revision of a git repository into workspace `source`.
 * Results: COMMIT (the checked-out sha) and URL.
 */
export function gitFetchTask(): TaskSpec {
  return {
    description: 'Fetch one revision of a git repository into the source workspace.',
    params: [
      { name: 'URL', type: 'string', description: 'Repository URL (https://, ssh:// or file://), % and $ percent-encoded.' },
      {
        name: 'REVISION',
        type: 'string',
        default: '',
        description: 'Branch, tag or commit; empty = the remote\'s default branch.',
      },
      { name: 'DEPTH', type: 'string', default: '1', description: 'Commits of history to fetch; 0 = all.' },
      {
        name: 'SSH_INSECURE_IGNORE_HOST_KEY',
        type: 'string',
        default: 'false',
        description: 'true connects to an ssh remote whose host key the secret\'s known_hosts does not hold.',
      },
      { name: 'GIT_IMAGE', type: 'string', default: DEFAULT_IMAGES.git, description: 'Image with sh and git.' },
    ],
    workspaces: [
      { name: 'source', description: 'Receives the checkout.' },
      {
        name: 'git-credentials',
        optional: true,
        readOnly: true,
        description: 'A kubernetes.io/basic-auth or kubernetes.io/ssh-auth secret (ssh: with known_hosts).',
      },
    ],
    results: [
      { name: 'COMMIT', description: 'The sha that was checked out.' },
      { name: 'URL', description: 'The repository URL, % and $ percent-encoded (as the param).' },
      { name: 'SOURCE_DATE_EPOCH', description: "The commit's time (committer date), in seconds since 1970." },
    ],
    steps: [
      {
        name: 'clone',
        image: '$(params.GIT_IMAGE)',
        env: [
          ...paramEnv(['URL', 'REVISION', 'DEPTH', 'SSH_INSECURE_IGNORE_HOST_KEY']),
          { name: 'WORKSPACE_SOURCE_PATH', value: '$(workspaces.source.path)' },
          { name: 'WORKSPACE_GIT_CREDENTIALS_BOUND', value: '$(workspaces.git-credentials.bound)' },
          { name: 'WORKSPACE_GIT_CREDENTIALS_PATH', value: '$(workspaces.git-credentials.path)' },
          { name: 'RESULT_COMMIT_PATH', value: '$(results.COMMIT.path)' },
          { name: 'RESULT_URL_PATH', value: '$(results.URL.path)' },
          { name: 'RESULT_SOURCE_DATE_EPOCH_PATH', value: '$(results.SOURCE_DATE_EPOCH.path)' },
        ],
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        script: GIT_FETCH_SCRIPT,
      },
    ],
  };
}
