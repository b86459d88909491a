import type { BuildWorkspaceBinding } from '../../lib/api/buildconfig';
import type { BuildSource } from './source';
import type { BuildStrategy } from './strategy';

/** The volume that carries the sources from the clone to the build (they run in separate pods). */
export const SOURCE_VOLUME_SIZE = '1Gi';

/**
 * The workspaces each PipelineRun binds: a fresh volume for the sources, and each Secret, by name,
 * to the one workspace whose Task step needs it (git credentials → clone, push → push step).
 */
export function buildWorkspaces(options: { source: BuildSource; strategy: BuildStrategy; pushSecret?: string }): BuildWorkspaceBinding[] {
  const secret = (name: string, secretName: string | undefined): BuildWorkspaceBinding[] => (secretName ? [{ name, secret: { secretName } }] : []);
  return [
    { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: SOURCE_VOLUME_SIZE } } } } },
    ...secret('git-credentials', options.source.sourceSecret),
    ...secret('dockerconfig', options.pushSecret),
    ...secret('pull-dockerconfig', options.strategy.settings.pullSecret),
  ];
}
