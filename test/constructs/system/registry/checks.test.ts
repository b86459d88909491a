import { describe, expect, it } from 'vitest';
import {
  checkHost, checkNodePort, checkPathPrefix, checkPinnedImage, checkSecretName, checkStorageClassName,
} from '../../../../constructs/system/registry/checks';
import { parseReference } from '../../../../lib/api/image-reference';

describe('checkHost', () => {
  it.each(['registry.example.com', 'registry.example.com:5000', 'localhost:32000', '10.0.0.7:5000', '[::1]:5000', 'Registry-1.Example.COM'])(
    'accepts %s, which the runtime parses as the registry of a reference',
    (host) => {
      // GIVEN a host as image references write it WHEN it is checked THEN it comes back unchanged
      expect(checkHost('host', host)).toBe(host);
      // AND the runtime reads it as the registry part, not as a repository
      expect(parseReference(`${host}/ns/stream:latest`).registry).toBe(host);
    },
  );

  it.each(['https://registry.example.com', 'registry.example.com/team', 'user@registry.example.com', 'registry.example.com:99999', '', '-bad.example.com', 'registry.example.com:'])(
    'rejects %j, naming the prop and the fix',
    (host) => {
      expect(() => checkHost('host', host)).toThrowError(
        `'host' (${host}) must be a registry host with an optional port, like registry.example.com or registry.example.com:5000: no scheme, path or user`,
      );
    },
  );
});

describe('checkPathPrefix', () => {
  it.each(['team', 'org/team', 'a.b/c_d/e__f/g-h', 'x0'])('accepts %s', (prefix) => {
    expect(checkPathPrefix(prefix)).toBe(prefix);
  });

  it.each(['Team', '/team', 'team/', 'org//team', '', 'te am', 'team-', '_team'])('rejects %j', (prefix) => {
    expect(() => checkPathPrefix(prefix)).toThrowError(
      `'pathPrefix' (${prefix}) must be repository path components separated by '/', each lowercase letters and digits joined by '.', '_', '__' or '-', like 'team' or 'org/team' (no leading or trailing '/')`,
    );
  });
});

describe('checkNodePort', () => {
  it('accepts both ends of the default NodePort range', () => {
    expect(checkNodePort(30000)).toBe(30000);
    expect(checkNodePort(32767)).toBe(32767);
  });

  it.each([29999, 32768, 5000, 32000.5, Number.NaN])('rejects %s', (port) => {
    expect(() => checkNodePort(port)).toThrowError(
      `'nodePort' (${port}) must be an integer in 30000-32767, the default NodePort range of kube-apiserver (--service-node-port-range)`,
    );
  });
});

describe('checkSecretName and checkStorageClassName', () => {
  it('accept DNS subdomain names', () => {
    expect(checkSecretName('pushSecret', 'registry-push.team')).toBe('registry-push.team');
    expect(checkStorageClassName('local-path')).toBe('local-path');
  });

  it('reject other names, naming the prop', () => {
    expect(() => checkSecretName('pullSecret', 'Pull_Secret')).toThrowError(
      "'pullSecret' (Pull_Secret) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters",
    );
    expect(() => checkSecretName('pushSecret', 'a'.repeat(254))).toThrowError(`'pushSecret' (${'a'.repeat(254)}) must be the name of a Secret`);
    expect(() => checkStorageClassName('Fast SSD')).toThrowError(
      "'storageClassName' (Fast SSD) must be the name of a StorageClass: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  });
});

describe('checkPinnedImage', () => {
  it('accepts a tag or a digest, also behind a registry port', () => {
    expect(checkPinnedImage('docker.io/library/registry:2.8.3')).toBe('docker.io/library/registry:2.8.3');
    expect(checkPinnedImage(`mirror:5000/registry@sha256:${'a'.repeat(64)}`)).toContain('@sha256:');
  });

  it('rejects an image that would float to latest, even behind a registry port', () => {
    expect(() => checkPinnedImage('mirror:5000/registry')).toThrowError(
      "'image' (mirror:5000/registry) has no tag or digest: pin a version, e.g. docker.io/library/registry:2.8.3, or a digest",
    );
  });
});
