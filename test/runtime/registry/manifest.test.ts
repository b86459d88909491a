import { describe, expect, it } from 'vitest';
import {
  bodyMediaType,
  checkManifest,
  digestOf,
  formatPlatform,
  indexEntries,
  isIndex,
  MANIFEST_ACCEPT,
  selectPlatform,
} from '../../../lib/runtime/registry/manifest';

const entry = (architecture: string, variant?: string) => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${architecture}${variant ?? ''}`,
  platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
});

describe('manifest helpers', () => {
  it('accepts all four manifest types and knows which are lists', () => {
    expect(MANIFEST_ACCEPT.split(', ')).toHaveLength(4);
    expect(isIndex('application/vnd.oci.image.index.v1+json')).toBe(true);
    expect(isIndex('application/vnd.docker.distribution.manifest.list.v2+json')).toBe(true);
    expect(isIndex('application/vnd.oci.image.manifest.v1+json')).toBe(false);
    expect(isIndex(undefined)).toBe(false);
  });

  it('hashes exact bytes with the algorithm of the expected digest', () => {
    expect(digestOf(Buffer.from('abc'))).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf(Buffer.from('abc'), 'sha512:x')).toMatch(/^sha512:ddaf35a1/);
  });

  it('selects the first entry for a platform, comparing the variant only when asked', () => {
    const entries = [entry('arm', 'v6'), entry('arm', 'v7'), entry('amd64')];
    expect(selectPlatform(entries, { os: 'linux', architecture: 'amd64' })?.digest).toBe('sha256:amd64');
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm' })?.digest).toBe('sha256:armv6');
    expect(selectPlatform(entries, { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest).toBe('sha256:armv7');
    expect(selectPlatform(entries, { os: 'windows', architecture: 'amd64' })).toBeUndefined();
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
  });

  it('reads list entries and media types, rejecting bodies that are not JSON objects', () => {
    const list = Buffer.from(JSON.stringify({ mediaType: 'x', manifests: [entry('amd64')] }));
    expect(indexEntries(list)).toEqual([entry('amd64')]);
    expect(bodyMediaType(list)).toBe('x');
    expect(() => indexEntries(Buffer.from('{}'))).toThrowError('the manifest list has no "manifests" array');
    expect(() => bodyMediaType(Buffer.from('nope'))).toThrowError('the manifest is not a JSON object');
  });

  it('checks that a body is a schema 2 manifest or index of the type it was served as', () => {
    const OCI = 'application/vnd.oci.image.manifest.v1+json';
    const INDEX = 'application/vnd.oci.image.index.v1+json';
    const image = (extra: object = {}) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI, config: {}, layers: [], ...extra }));
    // THEN a good manifest gives its type, from Content-Type or from the body
    expect(checkManifest(image(), OCI)).toBe(OCI);
    expect(checkManifest(image(), undefined)).toBe(OCI);
    expect(checkManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })), INDEX)).toBe(INDEX);
    // AND each way of not being one is named
    expect(() => checkManifest(Buffer.from('<html></html>'), 'text/html')).toThrowError('the registry answered with text/html, not a manifest');
    expect(() => checkManifest(image(), INDEX)).toThrowError(`the manifest says it is ${OCI}, but was served as ${INDEX}`);
    expect(() => checkManifest(image({ schemaVersion: 1 }), OCI)).toThrowError(`the manifest is not an OCI or Docker schema 2 manifest (schemaVersion 1, mediaType ${OCI})`);
    expect(() => checkManifest(image({ layers: undefined }), OCI)).toThrowError('the manifest has no "config" and "layers"');
    expect(() => checkManifest(Buffer.from(JSON.stringify({ schemaVersion: 2 })), INDEX)).toThrowError('the manifest list has no "manifests" array');
    expect(() => checkManifest(image().subarray(0, 20), OCI)).toThrowError('the manifest is not a JSON object');
  });
});
