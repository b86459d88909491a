import type { BuildWorkspaceBinding } from '../buildconfig';
import { IMAGES_PULL_WORKSPACE, REGISTRY_CAS_WORKSPACE, type PipelinePlan, type RegistryAccess } from './plan';

/** The volume that carries the sources from the clone to the build (they run in separate pods). */
export const SOURCE_VOLUME_SIZE = '1Gi';

/**
 * The workspaces each PipelineRun binds: a fresh volume for the sources, and each Secret, by name,
 * to the one workspace whose Task step needs it (git credentials → clone, push → push step, pull →
 * build step, the source's Secrets and ConfigMaps → build step), and the registries' CAs.
 */
export function runWorkspaces(plan: PipelinePlan): BuildWorkspaceBinding[] {
  const secret = (name: string, secretName: string | undefined): BuildWorkspaceBinding[] => (secretName ? [{ name, secret: { secretName } }] : []);
  const cas = registryCasBinding(plan.registries);
  return [
    { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: SOURCE_VOLUME_SIZE } } } } },
    ...secret('git-credentials', plan.source.sourceSecret),
    ...secret('dockerconfig', plan.pushSecret),
    ...secret('pull-dockerconfig', plan.strategy.type !== 'Buildpacks' ? plan.pullSecret : undefined),
    ...secret(IMAGES_PULL_WORKSPACE, plan.source.imagesPullSecret),
    ...(cas ? [cas] : []),
    ...plan.source.inputs.map((i): BuildWorkspaceBinding => (i.kind === 'secret' ? { name: i.workspace, secret: { secretName: i.name } } : { name: i.workspace, configMap: { name: i.name } })),
  ];
}

/**
 * The run's binding of the `registry-cas` workspace: one projected volume holding `<host>/ca.crt`
 * for each registry with a CA, from its ConfigMap or Secret.
 */
export function registryCasBinding(access: RegistryAccess): BuildWorkspaceBinding | undefined {
  if (access.cas.length === 0) return undefined;
  return {
    name: REGISTRY_CAS_WORKSPACE,
    projected: { sources: access.cas.map(({ host, kind, name, key }) => ({ [kind]: { name, items: [{ key, path: `${host}/ca.crt` }] } })) },
  };
}
