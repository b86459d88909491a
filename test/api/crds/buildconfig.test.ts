import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import type { JSONSchemaProps } from '../../../lib/api/crds/crd-types';
import { customResourceDefinitions } from '../../../lib/api/crds';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../../constructs/buildconfig';
import { VARIABLE_NAME_PATTERN, buildConfigCrd } from '../../../lib/api/crds/buildconfig';
import { isVariableName, type BuildConfigSpec } from '../../../lib/api/buildconfig';

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
    // The strategy type is often inferred (left out), so its column shows only with -o wide.
    expect(version.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath, c.priority ?? 0])).toEqual([
      ['From', '.spec.source.git.uri', 0], ['To', '.spec.output.to.name', 0], ['Latest', '.status.lastVersion', 0], ['Type', '.spec.strategy.type', 1],
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
    [{ strategy: { type: 'Manual' } }, '/spec/strategy/type'],
    [{ triggers: [{ type: 'Cron' }] }, '/spec/triggers/0/type'],
    [{ timeout: '30 minutes' }, '/spec/timeout'],
    [{ successfulBuildsHistoryLimit: -1 }, '/spec/successfulBuildsHistoryLimit'],
  ])('rejects the invalid spec field %j at %s', (field, path) => {
    const object = fullBuildConfig() as { spec: Record<string, unknown> };
    expect(validate({ ...object, spec: { ...object.spec, ...field } })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(path);
  });
});

/** T with every optional field required, all the way down: the compiler makes FULL_SPEC name every field of the types. */
type Full<T> = T extends string | number | boolean ? T
  : T extends readonly (infer U)[] ? readonly Full<U>[]
  : { readonly [K in keyof T]-?: Full<T[K]> };

const ref = { kind: 'ImageStreamTag', name: 'base:1', namespace: 'shared' } as const;
const env = [{ name: 'A', value: '1' }];
/** Every field of BuildConfigSpec set (not a valid spec: every strategy and source at once). */
const FULL_SPEC: Full<BuildConfigSpec> = {
  pipelineRef: { name: 'p' },
  params: [{ name: 'X', value: ['a'] }],
  source: {
    type: 'Git',
    binary: { asFile: 'app.war' },
    git: { uri: 'https://git.example.com/a.git', ref: 'main', insecureIgnoreHostKey: true },
    dockerfile: 'FROM scratch',
    images: [{ from: ref, paths: [{ sourcePath: '/a', destinationDir: 'b' }], pullSecret: { name: 's' } }],
    contextDir: 'app',
    sourceSecret: { name: 's' },
    secrets: [{ secret: { name: 's' }, destinationDir: 'd' }],
    configMaps: [{ configMap: { name: 'c' }, destinationDir: 'd' }],
  },
  strategy: {
    type: 'Docker',
    dockerStrategy: {
      from: ref, stages: [{ name: 'build', from: ref }], pullSecret: { name: 's' }, env, noCache: true, forcePull: true,
      dockerfilePath: 'Dockerfile', buildArgs: env, imageOptimizationPolicy: 'SkipLayers',
    },
    sourceStrategy: { from: ref, builders: [{ language: 'go', image: 'golang' }], pullSecret: { name: 's' }, env, scripts: 'image:///s2i', incremental: true, forcePull: true, noCache: true },
    buildpacksStrategy: { builder: 'b', env, userId: 1, groupId: 1 },
  },
  output: { to: ref, pushSecret: { name: 's' }, imageLabels: [{ name: 'l', value: 'v' }] },
  triggers: [{
    type: 'GitHub',
    imageChange: { from: ref, paused: true },
    configChange: { onSpecChange: true },
    github: { secretReference: { name: 'h' }, secret: 'x', allowEnv: false },
    gitlab: { secretReference: { name: 'h' }, secret: 'x', allowEnv: false },
    bitbucket: { secretReference: { name: 'h' }, secret: 'x', allowEnv: false },
    generic: { secretReference: { name: 'h' }, secret: 'x', allowEnv: true },
    gitPoll: { interval: '5m0s' },
  }],
  runPolicy: 'Serial',
  successfulBuildsHistoryLimit: 1,
  failedBuildsHistoryLimit: 1,
  timeout: '1h0m0s',
  completionDeadlineSeconds: 60,
  serviceAccountName: 'builder',
  serviceAccount: 'builder',
  workspaces: [{
    name: 'w',
    secret: { secretName: 's' },
    configMap: { name: 'c' },
    emptyDir: {},
    projected: { sources: [{ configMap: { name: 'c', items: [{ key: 'k', path: 'p' }] }, secret: { name: 's', items: [{ key: 'k', path: 'p' }] } }] },
    volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  }],
  podTemplate: { nodeSelector: { pool: 'builds' }, hostUsers: false, automountServiceAccountToken: false },
  nodeSelector: { pool: 'builds' },
  resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } },
  registries: [{ host: 'registry.example.com:5000', insecure: true, ca: { configMap: { name: 'ca', key: 'ca.crt' }, secret: { name: 'ca', key: 'ca.crt' } } }],
  postCommit: { script: 'make test', command: ['make'], args: ['test'] },
};

/** Every property path of a value (`a.b[].c`); maps (nodeSelector, resources.requests) end at the map. */
function valuePaths(value: unknown, at: string, node: JSONSchemaProps | undefined): string[] {
  if (value === null || typeof value !== 'object' || node?.additionalProperties || node?.['x-kubernetes-preserve-unknown-fields']) return [at];
  if (Array.isArray(value)) return value.flatMap((item) => valuePaths(item, `${at}[]`, node?.items));
  return [at, ...Object.entries(value).flatMap(([key, child]) => valuePaths(child, `${at}.${key}`, node?.properties?.[key]))];
}

/** Every property path the schema declares. */
function schemaPaths(node: JSONSchemaProps, at: string): string[] {
  if (node.type === 'array' && node.items) return schemaPaths(node.items, `${at}[]`);
  return [at, ...Object.entries(node.properties ?? {}).flatMap(([key, child]) => schemaPaths(child, `${at}.${key}`))];
}

/**
 * The OpenShift fields the schema declares only so that a rule can refuse them by name (or, for
 * ObjectReference's uid/apiVersion/resourceVersion/fieldPath, so that they are kept and ignored as
 * OpenShift ignores them): not in the types, on purpose.
 */
const DECLARED_FOR_OPENSHIFT = [
  /\.(uid|apiVersion|resourceVersion|fieldPath)$/, // ObjectReference's rest
  /^spec\.strategy\.(customStrategy|jenkinsPipelineStrategy)$/,
  /^spec\.strategy\.(dockerStrategy|sourceStrategy|buildpacksStrategy)\.(env|buildArgs)\[\]\.valueFrom$/,
  /^spec\.strategy\.(dockerStrategy|sourceStrategy)\.volumes(\[\])?$/,
  /^spec\.source\.git\.(httpProxy|httpsProxy|noProxy)$/,
  /^spec\.source\.images\[\]\.as(\[\])?$/,
  /^spec\.triggers\[\]\.imageChange\.lastTriggeredImageID$/,
  /^spec\.resources\.claims(\[\])?$/,
  /^spec\.(revision|mountTrustedCA)$/,
];

describe('the BuildConfig CRD and the BuildConfigSpec type', () => {
  const specSchema = schema.properties!.spec;

  it('declares every field of the type (a typed spec with every field set loses none)', () => {
    const missing = valuePaths(FULL_SPEC, 'spec', specSchema).filter((p) => !schemaPaths(specSchema, 'spec').includes(p));
    expect(missing).toEqual([]);
    expect(prunedFields(schema, { spec: FULL_SPEC })).toEqual([]);
  });

  it('declares no field beyond the type but those of OpenShift it refuses or ignores', () => {
    const typed = new Set(valuePaths(FULL_SPEC, 'spec', specSchema));
    const extra = schemaPaths(specSchema, 'spec').filter((p) => !typed.has(p) && !DECLARED_FOR_OPENSHIFT.some((re) => re.test(p)));
    expect(extra).toEqual([]);
  });

  it('would see a field the type has and the schema lacks (the check above can fail)', () => {
    const withExtra = { ...FULL_SPEC, source: { ...FULL_SPEC.source, git: { ...FULL_SPEC.source.git, depth: 1 } } };
    expect(valuePaths(withExtra, 'spec', specSchema).filter((p) => !schemaPaths(specSchema, 'spec').includes(p))).toEqual(['spec.source.git.depth']);
  });

  it('reads env names as isVariableName does', () => {
    const pattern = new RegExp(VARIABLE_NAME_PATTERN);
    for (const name of ['A', '_a1', 'MAVEN_OPTS', '1A', 'A-B', 'A.B', '', 'a b']) expect([name, pattern.test(name)]).toEqual([name, isVariableName(name)]);
  });
});
