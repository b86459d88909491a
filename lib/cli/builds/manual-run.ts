import { pipelineRunFor } from '../../api/build-run';
import type { PipelineRun } from '../../api/pipeline-run';
import type { BuildConfigResource } from './resources';

/** Tekton copies the run's name into pod labels (at most 63 characters); generateName adds 5. */
const MAX_PREFIX = 58;

/** What `start-build` changes for one build. */
export interface ManualRunOptions {
  /** The commit to build. @default - the source's ref */
  readonly commit?: string;
  /** Env over the BuildConfig's, for this build only. */
  readonly env?: Readonly<Record<string, string>>;
  /** Build args over the BuildConfig's, for this build only. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Binary sources: what start-build uploaded, by digest. */
  readonly sourceArchive?: string;
}

/**
 * A manual build (`start-build`), made like every other run by pipelineRunFor: created pending so
 * that the controller admits it by run policy and numbers it, building `commit` when given, else
 * the source's ref, with the run's own env and build args after the BuildConfig's. BASE_IMAGE is
 * left to the controller (or the Pipeline's default).
 */
export function manualRun(bc: BuildConfigResource, options: ManualRunOptions = {}): PipelineRun {
  const name = bc.metadata.name;
  const { commit, env, buildArgs, sourceArchive } = options;
  return pipelineRunFor(bc, { type: 'Manual', ...(commit ? { revision: commit } : {}) }, {
    naming: { generateName: `${name.slice(0, MAX_PREFIX - '-manual-'.length)}-manual-` },
    ...(env ? { env } : {}),
    ...(buildArgs ? { buildArgs } : {}),
    ...(sourceArchive ? { sourceArchive } : {}),
  });
}
