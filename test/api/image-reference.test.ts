import { describe, expect, it } from 'vitest';
import {
  canonicalRegistry,
  formatReference,
  isValidDigest,
  parseReference,
  registryApiHost,
  repositoryOf,
} from '../../lib/api/image-reference';

const SHA = 'sha256:' + 'a'.repeat(64);

describe('parseReference', () => {
  it.each([
    ['eclipse-temurin:8-jdk', { registry: 'docker.io', repository: 'library/eclipse-temurin', tag: '8-jdk' }],
    ['eclipse-temurin', { registry: 'docker.io', repository: 'library/eclipse-temurin', tag: 'latest' }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }],
    ['index.docker.io/library/ubuntu:22.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' }],
    ['registry-1.docker.io/x/y:1', { registry: 'docker.io', repository: 'x/y', tag: '1' }],
    ['quay.io/org/app:v1.2_3', { registry: 'quay.io', repository: 'org/app', tag: 'v1.2_3' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['localhost:5000/a/b/c:t', { registry: 'localhost:5000', repository: 'a/b/c', tag: 't' }],
    ['127.0.0.1:5000/team/app:v1', { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v1' }],
    ['[::1]:5000/app:v1', { registry: '[::1]:5000', repository: 'app', tag: 'v1' }],
    ['Registry.Example.com/app', { registry: 'Registry.Example.com', repository: 'app', tag: 'latest' }],
    ['my-host.example/a__b/c.d/e-f---g', { registry: 'my-host.example', repository: 'a__b/c.d/e-f---g', tag: 'latest' }],
    [`ubuntu@${SHA}`, { registry: 'docker.io', repository: 'library/ubuntu', digest: SHA }],
    [`ubuntu:22.04@${SHA}`, { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04', digest: SHA }],
    [`host:5000/app@${SHA}`, { registry: 'host:5000', repository: 'app', digest: SHA }],
  ])('normalises %s', (input, expected) => {
    // GIVEN a valid reference WHEN parsed THEN it is normalised
    expect(parseReference(input)).toEqual(expected);
  });

  it.each([
    ['', 'invalid image reference "": it is empty'],
    ['Ubuntu', 'invalid image reference "Ubuntu": repository name must be lowercase'],
    ['host.io/Team/app', 'invalid image reference "host.io/Team/app": repository name must be lowercase'],
    ['app:', 'invalid image reference "app:": tag "" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'],
    ['app:-x', 'invalid image reference "app:-x": tag "-x" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'],
    [`app:${'t'.repeat(129)}`, `invalid image reference "app:${'t'.repeat(129)}": tag "${'t'.repeat(129)}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`],
    ['a//b', `invalid image reference "a//b": path component "" must match [a-z0-9]+ separated by '.', '_', '__' or '-'`],
    ['a/b_', `invalid image reference "a/b_": path component "b_" must match [a-z0-9]+ separated by '.', '_', '__' or '-'`],
    ['a/b___c', `invalid image reference "a/b___c": path component "b___c" must match [a-z0-9]+ separated by '.', '_', '__' or '-'`],
    ['-host.io/app', `invalid image reference "-host.io/app": registry host "-host.io" is not a valid host[:port]`],
    ['host.io:port/app', `invalid image reference "host.io:port/app": registry host "host.io:port" is not a valid host[:port]`],
    ['app@sha256:abc', 'invalid image reference "app@sha256:abc": digest "sha256:abc" must look like sha256:<64 hex digits>'],
    [`app@sha256:${'A'.repeat(64)}`, `invalid image reference "app@sha256:${'A'.repeat(64)}": digest "sha256:${'A'.repeat(64)}" must have 64 lowercase hex digits`],
    [`app@sha256:${'a'.repeat(63)}`, `invalid image reference "app@sha256:${'a'.repeat(63)}": digest "sha256:${'a'.repeat(63)}" must have 64 lowercase hex digits`],
    [`app@md5:${'a'.repeat(32)}`, `invalid image reference "app@md5:${'a'.repeat(32)}": digest algorithm "md5" is not supported (use sha256 or sha512)`],
    [`a@${SHA}@${SHA}`, `invalid image reference "a@${SHA}@${SHA}": more than one '@'`],
    [`h.io/${'a'.repeat(256)}`, `invalid image reference "h.io/${'a'.repeat(256)}": repository name is longer than 255 characters`],
  ])('rejects %s', (input, message) => {
    // GIVEN an invalid reference WHEN parsed THEN it fails with the reason
    expect(() => parseReference(input)).toThrowError(message);
  });

  it('throws an error with reason InvalidReference', () => {
    // GIVEN / WHEN an invalid reference THEN the error is typed for a condition
    expect(() => parseReference('UPPER')).toThrowError(expect.objectContaining({ reason: 'InvalidReference' }));
  });
});

describe('formatting', () => {
  it('writes the canonical forms', () => {
    // GIVEN a normalised Docker Hub reference
    const ref = parseReference('eclipse-temurin:8-jdk');
    // WHEN formatted THEN it is fully qualified
    expect(formatReference(ref)).toBe('docker.io/library/eclipse-temurin:8-jdk');
    expect(repositoryOf(ref)).toBe('docker.io/library/eclipse-temurin');
    expect(formatReference(parseReference(`app:v1@${SHA}`))).toBe(`docker.io/library/app:v1@${SHA}`);
  });

  it('maps Docker Hub to its API host and leaves others alone', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(canonicalRegistry('Index.Docker.IO')).toBe('docker.io');
    expect(canonicalRegistry('quay.io')).toBe('quay.io');
  });

  it('validates digests', () => {
    expect(isValidDigest(SHA)).toBe(true);
    expect(isValidDigest('sha512:' + 'b'.repeat(128))).toBe(true);
    expect(isValidDigest('sha512:' + 'b'.repeat(64))).toBe(false);
    expect(isValidDigest('sha256:' + 'g'.repeat(64))).toBe(false);
  });
});
