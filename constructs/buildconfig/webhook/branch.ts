import type { BuildSource } from '../source';

const FULL_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The branch a push trigger (webhook or git poll) follows, as a full ref: `main` → `refs/heads/main`.
 * It must be written in the source: a push names its branch, and "the remote's default branch" is
 * something a webhook payload cannot tell (never an implicit 'master').
 */
export function triggerBranch(at: string, trigger: string, source: BuildSource): string {
  if (source.type !== 'Git') {
    throw new Error(`${at} a ${trigger} trigger needs a git source: an inline Dockerfile has no pushes to follow`);
  }
  const ref = source.ref;
  if (ref === undefined) {
    throw new Error(`${at} a ${trigger} trigger follows one branch, but the git source has no 'ref': set it, e.g. BuildSource.git({ uri, ref: 'main' })`);
  }
  if (ref.startsWith('refs/heads/')) return ref;
  if (ref.startsWith('refs/') || FULL_SHA.test(ref)) {
    throw new Error(`${at} a ${trigger} trigger follows a branch, but the git source's 'ref' (${ref}) is not one: use a branch name such as 'main'`);
  }
  return `refs/heads/${ref}`;
}
