import { pipelineRunFor } from '../../api/build-run';
import type { PipelineRun } from '../../api/pipeline-run';
import type { BuildConfigResource } from './resources';

/** Tekton copies the run's name into pod labels (at most 63 characters); generateName adds 5. */
const MAX_PREFIX = 58;

/**
 * A manual build (`start-build`), made like every other run by pipelineRunFor: created pending so
 * that the controller admits it by run policy and numbers it, building `commit` when given, else
 * the source's ref. BASE_IMAGE is left to the controller (or the Pipeline's default).
 */
export function manualRun(bc: BuildConfigResource, commit?: string): PipelineRun {
  const name = bc.metadata.name;
  return pipelineRunFor(bc, { type: 'Manual', ...(commit ? { revision: commit } : {}) }, {
    naming: { generateName: `${name.slice(0, MAX_PREFIX - '-manual-'.length)}-manual-` },
  });
}
