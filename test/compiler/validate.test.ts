import { describe, expect, it } from 'vitest';
import { validateObjects } from '../../lib/compiler/validate';
import type { Manifest } from '../../lib/compiler/manifest';

const chart = (...manifests: Manifest[]) => [{ name: 'c', objects: manifests.map((manifest, i) => ({ manifest, constructPath: `c/o${i}` })) }];
const texts = (...manifests: Manifest[]) => validateObjects(chart(...manifests)).map((d) => `[${d.constructPath}] ${d.text}`);

describe('validateObjects', () => {
  it('accepts valid objects', () => {
    expect(texts({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a.b-c' } })).toEqual([]);
  });

  it('requires apiVersion, kind and metadata.name', () => {
    expect(texts({ metadata: {} })).toEqual(['[c/o0] ?/? has no apiVersion', '[c/o0] ?/? has no kind', '[c/o0] ?/? has no metadata.name']);
  });

  it('checks names per kind: subdomain, label, DNS-1035 label, path segment, length caps', () => {
    expect(texts(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'Any:Name' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'a/b' } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x'.repeat(53) } },
      { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't'.repeat(64) } },
    )).toEqual([
      '[c/o0] Namespace/a.b name "a.b" is not a valid Namespace name: use lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)',
      '[c/o1] Service/1web name "1web" is not a valid Service name: use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (DNS-1035 label)',
      '[c/o3] Role/a/b name "a/b" is not a valid Role name: it may not be "." or ".." nor contain "/" or "%"',
      `[c/o4] CronJob/${'x'.repeat(53)} name "${'x'.repeat(53)}" is 53 characters long; a CronJob name has at most 52`,
      `[c/o5] Task/${'t'.repeat(64)} name "${'t'.repeat(64)}" is 64 characters long; a Task name has at most 63`,
    ]);
  });

  it('reports an object defined twice (same group, kind, namespace, name) once, with both paths', () => {
    const problems = validateObjects(chart(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'b' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' } },
    ));
    expect(problems.map((p) => p.text)).toEqual(['Deployment/a/web is defined 2 times: [c/o0], [c/o2]']);
  });
});
