import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cron, Duration, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { StreamRegistry, type InClusterRegistryOptions } from '../../../../constructs/system/registry';
import { DEFAULT_RUNTIME_IMAGE, System } from '../../../../constructs/system/system';
import { maintenanceTemplate, servingTemplate, GC_CONTAINER, READONLY_ENV } from '../../../../lib/api/registry-maintenance';
import { validateManifests } from '../../../support/validate-manifests';

// Synthesized manifests are asserted field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; rules?: any[] };

function synth(options: InClusterRegistryOptions): K8sObject[] {
  return Testing.synth(new System(Testing.app(), 'imagestreams', { registry: StreamRegistry.inCluster(options) })) as K8sObject[];
}

describe('StreamRegistry.inCluster({ garbageCollection })', () => {
  const objects = synth({ allowDeletes: true, garbageCollection: {} });
  const gc = objects.filter((o) => o.metadata.name === 'imagestreams-registry-gc');

  it('emits a CronJob, its ServiceAccount, Role and RoleBinding, weekly by default, one at a time, never retried at once', () => {
    expect(gc.map((o) => o.kind).sort()).toEqual(['CronJob', 'Role', 'RoleBinding', 'ServiceAccount']);
    const cronJob = gc.find((o) => o.kind === 'CronJob')!;
    expect(cronJob.metadata.namespace).toBe('imagestreams-system');
    expect(cronJob.spec).toMatchObject({ schedule: '30 3 * * 0', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 3600 + 600 } } });
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe(DEFAULT_RUNTIME_IMAGE);
    expect(container.command).toEqual([
      'node', '/opt/imagestreams/imagestreams-runtime.js', 'registry-gc',
      '--namespace', 'imagestreams-system', '--deployment', 'imagestreams-registry',
      '--claim', 'imagestreams-registry-storage', '--warn-at', '80', '--timeout', '3600', '--run', '$(POD_NAME)',
    ]);
  });

  it('grants only get and update of the registry Deployment, get of its claim, listing pods and writing Events: no wildcards', () => {
    expect(gc.find((o) => o.kind === 'Role')!.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['imagestreams-registry'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], resourceNames: ['imagestreams-registry-storage'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'get', 'patch'] },
    ]);
  });

  it('takes a schedule, a timeout and the warning threshold', () => {
    const custom = synth({ allowDeletes: true, storageWarningPercent: 90, garbageCollection: { schedule: Cron.schedule({ minute: '0', hour: '2' }), timeout: Duration.minutes(30) } });
    const cronJob = custom.find((o) => o.kind === 'CronJob' && o.metadata.name === 'imagestreams-registry-gc')!;
    expect(cronJob.spec.schedule).toBe('0 2 * * *');
    expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].command.join(' ')).toContain('--warn-at 90 --timeout 1800');
  });

  it('is refused without allowDeletes, with a timeout or a warning threshold out of range, saying the fix', () => {
    expect(() => StreamRegistry.inCluster({ garbageCollection: {} })).toThrowError(
      "'garbageCollection' frees the blobs of manifests that 'imagestreams prune images --confirm' deleted, which needs 'allowDeletes: true': set it too, or drop 'garbageCollection'",
    );
    expect(() => StreamRegistry.inCluster({ allowDeletes: true, garbageCollection: { timeout: Duration.seconds(10) } })).toThrowError(
      "'garbageCollection.timeout' (10s) must be whole seconds from 1 minute to 24 hours, e.g. Duration.hours(1)",
    );
    expect(() => StreamRegistry.inCluster({ allowDeletes: true, storageWarningPercent: 120, garbageCollection: {} })).toThrowError(
      "'storageWarningPercent' (120) must be a whole percentage from 1 to 100, e.g. 80",
    );
  });

  it('is not emitted unless asked for', () => {
    expect(synth({ allowDeletes: true }).filter((o) => o.metadata.name === 'imagestreams-registry-gc')).toEqual([]);
  });

  it('the maintenance template adds the GC container and the read-only switch, and the serving template is the synthesized one again', () => {
    const template = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-registry')!.spec.template;
    const maintenance = maintenanceTemplate(template, 'run-1');
    expect(maintenance.spec.containers.map((c) => c.name)).toEqual(['registry', GC_CONTAINER]);
    expect(maintenance.spec.containers[0].env).toContainEqual(READONLY_ENV);
    expect(maintenance.metadata?.annotations).toEqual({ 'imagestreams.dev/registry-maintenance': 'run-1' });
    expect(servingTemplate(maintenance)).toEqual(template);
    expect(servingTemplate(maintenanceTemplate(maintenance, 'run-2')).spec).toEqual(template.spec);
  });

  it('meets Pod Security "restricted": the CronJob, and the registry in maintenance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-gc-'));
    try {
      const file = join(dir, 'imagestreams.k8s.yaml');
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'imagestreams-registry')!;
      const inMaintenance = { ...deployment, metadata: { ...deployment.metadata, name: 'imagestreams-registry-maintenance' }, spec: { ...deployment.spec, template: maintenanceTemplate(deployment.spec.template, 'run-1') } };
      writeFileSync(file, [...objects, inMaintenance].map((o) => stringify(o)).join('---\n'));
      const result = await validateManifests([file]);
      expect(result.output).toContain('CronJob/imagestreams-system/imagestreams-registry-gc: info: spec.jobTemplate.spec.template.spec: meets Pod Security Standard "restricted"');
      expect(result.output).toContain('Deployment/imagestreams-system/imagestreams-registry-maintenance: info: spec.template.spec: meets Pod Security Standard "restricted"');
      expect(result.output).not.toMatch(/imagestreams-registry-gc: (warning|error)/);
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
