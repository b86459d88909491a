import { describe, expect, it } from 'vitest';
import { collectionPath, objectPath, withQuery } from '../../../lib/runtime/kube/resources';

describe('resource paths', () => {
  it('puts the core group under /api and others under /apis', () => {
    expect(collectionPath({ apiVersion: 'v1', resource: 'configmaps', namespace: 'ns' })).toBe('/api/v1/namespaces/ns/configmaps');
    expect(collectionPath({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: 'ns' })).toBe(
      '/apis/imagestreams.dev/v1alpha1/namespaces/ns/imagestreams',
    );
  });

  it('leaves the namespace out for cluster-scoped resources and all-namespace lists', () => {
    expect(collectionPath({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' })).toBe(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
  });

  it('appends the name and the status subresource', () => {
    const ref = { apiVersion: 'apps/v1', resource: 'deployments', namespace: 'ns' };
    expect(objectPath(ref, 'foo')).toBe('/apis/apps/v1/namespaces/ns/deployments/foo');
    expect(objectPath(ref, 'foo', 'status')).toBe('/apis/apps/v1/namespaces/ns/deployments/foo/status');
    expect(objectPath(ref, 'a:b')).toBe('/apis/apps/v1/namespaces/ns/deployments/a%3Ab');
  });

  it('rejects names that would change the path', () => {
    const ref = { apiVersion: 'v1', resource: 'pods', namespace: 'ns' };
    expect(() => objectPath(ref, '../secrets')).toThrowError(`'name' ("../secrets") is not a valid object name`);
    expect(() => objectPath(ref, '')).toThrowError(`'name' ("") is not a valid object name`);
  });

  it('rejects a malformed apiVersion or resource', () => {
    expect(() => collectionPath({ apiVersion: 'Apps/V1', resource: 'deployments' })).toThrowError(
      `'apiVersion' (Apps/V1) must be 'version' or 'group/version'`,
    );
    expect(() => collectionPath({ apiVersion: 'v1', resource: 'Pod' })).toThrowError(
      `'resource' (Pod) must be a lower-case plural such as 'imagestreams'`,
    );
  });

  it('adds only defined query options, encoded', () => {
    expect(withQuery('/x', { labelSelector: 'app in (a,b)', limit: 5, continue: undefined })).toBe('/x?labelSelector=app+in+%28a%2Cb%29&limit=5');
    expect(withQuery('/x', { fieldManager: undefined })).toBe('/x');
  });
});
