import { BUILD_ANNOTATION, BUILD_NUMBER_LABEL, BUILDCONFIG_LABEL } from '../../api/labels';
import type { PipelineRun } from '../../api/pipeline-run';
import type { ResourceClient } from '../../runtime/kube/client';
import { NotFoundError } from '../../runtime/kube/errors';
import { BuildError } from './errors';
import { pipelineRunsNotFound } from './resources';

/** A build as the user names it: a PipelineRun's name, or `bc/N` (BuildConfig and build number). */
export type BuildName = { readonly run: string } | { readonly buildConfig: string; readonly number: number };

export function parseBuildName(text: string): BuildName {
  const m = /^([^/]+)\/([1-9]\d*)$/.exec(text);
  if (m) return { buildConfig: m[1], number: Number(m[2]) };
  if (text.includes('/')) throw new Error(`'${text}' is neither a PipelineRun name nor BUILDCONFIG/NUMBER (e.g. foo/3)`);
  return { run: text };
}

/** The PipelineRun of the build, or a BuildError saying that there is none. */
export async function findBuild(runs: ResourceClient<PipelineRun>, name: BuildName, namespace: string): Promise<PipelineRun> {
  try {
    if ('run' in name) {
      const run = await runs.get(name.run);
      // A request the controller has made into a build stands for that build.
      const build = run.metadata.annotations?.[BUILD_ANNOTATION];
      return build ? await runs.get(build) : run;
    }
    const selector = `${BUILDCONFIG_LABEL}=${name.buildConfig},${BUILD_NUMBER_LABEL}=${name.number}`;
    const { items } = await runs.list({ labelSelector: selector });
    if (items.length === 0) throw new BuildError(`no build ${name.buildConfig}/${name.number} in namespace "${namespace}" (no PipelineRun labelled ${selector})`);
    if (items.length > 1) throw new BuildError(`build ${name.buildConfig}/${name.number} is several PipelineRuns (${items.map((r) => r.metadata.name).join(', ')}): name one`);
    return items[0];
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    if ('run' in name && e.status.details?.name === name.run) throw new BuildError(`PipelineRun "${name.run}" not found in namespace "${namespace}"`);
    throw pipelineRunsNotFound(e, namespace);
  }
}

/** `build foo #3 (foo-3)`, or `PipelineRun x` for a run of no BuildConfig. */
export function describeBuild(run: PipelineRun): string {
  const bc = run.metadata.labels?.[BUILDCONFIG_LABEL];
  const n = run.metadata.labels?.[BUILD_NUMBER_LABEL];
  if (!bc) return `PipelineRun ${run.metadata.name}`;
  return n ? `build ${bc} #${n} (${run.metadata.name})` : `build ${run.metadata.name} of ${bc} (not numbered yet)`;
}
