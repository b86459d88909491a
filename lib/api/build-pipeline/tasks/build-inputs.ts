import type { TaskSpec } from '../../tekton';
import type { BuildInput } from '../plan';

/**
 * The buildah-build Task with the source's Secrets and ConfigMaps: one read-only workspace each,
 * mounted into the build step only (Tekton isolated workspaces; the push step, which holds the push
 * credentials, never sees them), named to the script as `--inputs kind=path=destinationDir` items.
 * The script mounts each into every RUN at /<destinationDir> (buildah `--volume`, so no layer holds
 * them) and offers each key of a Secret to `RUN --mount=type=secret,id=<key>` (buildah `--secret`).
 */
export function withBuildInputs(task: TaskSpec, inputs: readonly BuildInput[]): TaskSpec {
  if (inputs.length === 0) return task;
  return {
    ...task,
    workspaces: [
      ...(task.workspaces ?? []),
      ...inputs.map((i) => ({ name: i.workspace, readOnly: true, description: `The ${i.kind === 'secret' ? 'Secret' : 'ConfigMap'} RUN instructions see in /${i.destinationDir}.` })),
    ],
    steps: task.steps.map((step) => (step.name !== 'build' ? step : {
      ...step,
      workspaces: [...(step.workspaces ?? []), ...inputs.map((i) => ({ name: i.workspace }))],
      args: [...(step.args ?? []), '--inputs', ...inputs.map((i) => `${i.kind}=$(workspaces.${i.workspace}.path)=${i.destinationDir}`)],
    })),
  };
}
