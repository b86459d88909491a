import type { RunPolicy } from '../../lib/api/buildconfig';
import { BuildOutput } from './output';
import type { BuildConfigProps } from './props';
import { BuildSource } from './source';
import { BuildStrategy } from './strategy';

const RUN_POLICIES: readonly RunPolicy[] = ['Serial', 'Parallel', 'SerialLatestOnly'];

/** The checks of BuildConfig props that need no other construct; `at` is `[construct/path]`. */
export function checkProps(at: string, props: BuildConfigProps): void {
  if (!BuildSource.isBuildSource(props.source)) throw new Error(`${at} 'source' must be BuildSource.git({ uri }) or BuildSource.dockerfile(text)`);
  if (!BuildStrategy.isBuildStrategy(props.strategy)) throw new Error(`${at} 'strategy' must be BuildStrategy.dockerfile(), .sourceToImage() or .buildpacks({ builder })`);
  if (!BuildOutput.isBuildOutput(props.output)) throw new Error(`${at} 'output' must be BuildOutput.imageStreamTag(stream.tag('latest')) or BuildOutput.image(ref)`);
  if (props.runPolicy !== undefined && !RUN_POLICIES.includes(props.runPolicy)) {
    throw new Error(`${at} 'runPolicy' (${props.runPolicy}) must be one of ${RUN_POLICIES.join(', ')}`);
  }
  for (const prop of ['successfulBuildsHistoryLimit', 'failedBuildsHistoryLimit'] as const) {
    const limit = props[prop];
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0 || limit > 1000)) throw new Error(`${at} '${prop}' (${limit}) must be a whole number from 0 to 1000`);
  }
  if (props.timeout !== undefined && props.timeout.toMilliseconds() <= 0) {
    throw new Error(`${at} 'timeout' (${props.timeout.toMilliseconds()}ms) must be positive, e.g. Duration.minutes(30); leave it out for Tekton's default`);
  }
  if (props.strategy.type === 'Buildpacks' && Object.keys(props.output.imageLabels).length > 0) {
    throw new Error(`${at} 'imageLabels' are not supported with BuildStrategy.buildpacks(): set BP_IMAGE_LABELS in the strategy's env (Paketo's image-labels buildpack)`);
  }
  if (props.strategy.type === 'Buildpacks' && props.source.type === 'Dockerfile') {
    throw new Error(`${at} 'source' is an inline Dockerfile, which BuildStrategy.buildpacks() cannot build: use BuildStrategy.dockerfile()`);
  }
  if (props.strategy.type === 'Source' && props.source.type === 'Dockerfile') {
    throw new Error(`${at} 'source' is an inline Dockerfile, which BuildStrategy.sourceToImage() cannot build: use BuildStrategy.dockerfile()`);
  }
}
