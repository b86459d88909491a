import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import type { JSONSchemaProps } from '../../../lib/api/crds/crd-types';
import { customResourceDefinitions } from '../../../lib/api/crds';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../../constructs/buildconfig';
import { buildConfigCrd } from '../../../lib/api/crds/buildconfig';

const crd = buildConfigCrd();
const version = crd.spec.versions[0];
const schema = version.schema.openAPIV3Schema;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema as object);

/** Fields the API server would prune: not declared by the structural schema. */
function prunedFields(node: JSONSchemaProps, value: unknown, at = ''): string[] {
  if (node['x-kubernetes-preserve-unknown-fields'] || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => (node.items ? prunedFields(node.items, item, `${at}[${i}]`) : []));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const childSchema = node.properties?.[key] ?? node.additionalProperties;
    if (!childSchema) return node.type === 'object' && !node.properties ? [] : [`${at}.${key}`];
    return prunedFields(childSchema, child, `${at}.${key}`);
  });
}

function fullBuildConfig(): Record<string, unknown> {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
  const chart = new Chart(app, 'seed', { namespace: 'seed' });
  const base = new ImageStream(chart, 'base');
  base.importTag('1', { from: 'docker.io/library/alpine:3.20' });
  const foo = new ImageStream(chart, 'foo');
  new BuildConfig(chart, 'foo-build', {
    name: 'foo',
    source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main', contextDir: 'app', sourceSecret: 'git' }),
    strategy: BuildStrategy.dockerfile({ from: base.tag('1'), pullSecret: 'pull' }),
    output: BuildOutput.imageStreamTag(foo.tag('latest'), { imageLabels: { team: 'a' } }),
    triggers: [BuildTrigger.imageChange(), BuildTrigger.configChange({ onSpecChange: true }), BuildTrigger.webhook({ type: 'GitLab', secret: 'hook' })],
    timeout: Duration.minutes(45),
    nodeSelector: { pool: 'builds' },
    userNamespace: true,
  });
  return Testing.synth(chart).find((o) => o.kind === 'BuildConfig');
}

describe('the BuildConfig CRD', () => {
  it('is named, grouped and short-named like OpenShift (kubectl get bc), with a status subresource', () => {
    expect(crd.metadata.name).toBe('buildconfigs.imagestreams.dev');
    expect(crd.spec.names).toMatchObject({ kind: 'BuildConfig', plural: 'buildconfigs', shortNames: ['bc'] });
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath])).toEqual([
      ['Type', '.spec.strategy.type'], ['From', '.spec.source.git.uri'], ['Latest', '.status.lastVersion'],
    ]);
  });

  it('is installed by the System', () => {
    expect(customResourceDefinitions().map((c) => c.metadata.name)).toContain('buildconfigs.imagestreams.dev');
  });

  it('accepts what the construct writes, with status, and would prune none of its fields', () => {
    // GIVEN a BuildConfig with every optional setting, and a status as the controller writes it
    const object = {
      ...fullBuildConfig(),
      status: {
        lastVersion: 3, observedGeneration: 2,
        imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'base:1' }, lastTriggeredImage: `docker.io/library/alpine@sha256:${'a'.repeat(64)}`, lastTriggerTime: '2026-11-27T10:00:00Z' }],
        conditions: [{ type: 'Ready', status: 'True', reason: 'BuildSucceeded', lastTransitionTime: '2026-11-27T10:00:00Z' }],
      },
    };
    // THEN it validates, and the API server would keep every field
    expect(validate(object)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(prunedFields(schema, object)).toEqual([]);
  });

  it('would prune a field it does not declare (the check above can fail)', () => {
    expect(prunedFields(schema, { spec: { pipelineRef: { name: 'x', typo: 1 } } })).toEqual(['.spec.pipelineRef.typo']);
  });

  it.each([
    [{ runPolicy: 'Queued' }, '/spec/runPolicy'],
    [{ strategy: { type: 'Custom' } }, '/spec/strategy/type'],
    [{ triggers: [{ type: 'Cron' }] }, '/spec/triggers/0/type'],
    [{ timeout: '30 minutes' }, '/spec/timeout'],
    [{ successfulBuildsHistoryLimit: -1 }, '/spec/successfulBuildsHistoryLimit'],
  ])('rejects the invalid spec field %j at %s', (field, path) => {
    const object = fullBuildConfig() as { spec: Record<string, unknown> };
    expect(validate({ ...object, spec: { ...object.spec, ...field } })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });
});
