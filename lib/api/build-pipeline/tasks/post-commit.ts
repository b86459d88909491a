import type { TaskSpec } from '../../tekton';

/**
 * The buildah-build Task with a postCommit hook: param POST_COMMIT (the argv, items percent-encoded)
 * after a `--post-commit` marker, last of the build step's args, where every item is the hook's. The
 * build step runs it in a container of the built image (buildah run, chroot isolation, no registry
 * credentials) after the build; a failure fails the step, so the push step never runs.
 */
export function withPostCommit(task: TaskSpec): TaskSpec {
  return {
    ...task,
    params: [...(task.params ?? []), { name: 'POST_COMMIT', type: 'array', default: [], description: 'The command run in the built image before the push (OpenShift postCommit), % and $ percent-encoded; empty = none.' }],
    steps: task.steps.map((step) => (step.name !== 'build' ? step : { ...step, args: [...(step.args ?? []), '--post-commit', '$(params.POST_COMMIT[*])'] })),
  };
}
