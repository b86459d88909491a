import { describe, expect, it } from 'vitest';
import { parseGhcr } from '../../../../lib/runtime/receiver/payloads/ghcr';
import { edited, fixture } from '../fixtures';

const headers = (event: string) => ({ 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });

describe('parseGhcr', () => {
  it('reads a registry_package event: the tag, from package_url, with the delivery id', () => {
    expect(parseGhcr(fixture('ghcr-registry-package.json'), headers('registry_package'))).toEqual([{
      id: 'ghcr:72d3162e-cc78-11e3-81ab-4c9367dc0958', at: Date.parse('2025-03-14T09:26:53Z'), host: 'ghcr.io', repository: 'octo-org/worker', tag: 'edge',
      digest: 'sha256:2c4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f',
    }]);
  });

  it('reads a package event without package_url from the namespace and name, lower-cased as ghcr.io names them', () => {
    expect(parseGhcr(fixture('ghcr-package.json'), headers('package'))).toEqual([expect.objectContaining({ host: 'ghcr.io', repository: 'octo-org/worker', tag: '1.8.0' })]);
  });

  it('skips pings, other actions, other ecosystems and untagged versions', () => {
    expect(parseGhcr('{"zen":"Keep it logically awesome.","hook_id":1}', headers('ping'))).toEqual([]);
    expect(parseGhcr(edited('ghcr-package.json', (p) => (p.action = 'deleted')), headers('package'))).toEqual([]);
    expect(parseGhcr(edited('ghcr-package.json', (p) => (p.package.package_type = p.package.ecosystem = 'npm')), headers('package'))).toEqual([]);
    expect(parseGhcr(edited('ghcr-package.json', (p) => (p.package.package_version.container_metadata.tag.name = '')), headers('package'))).toEqual([]);
  });

  it('refuses a delivery without its id', () => {
    expect(() => parseGhcr(fixture('ghcr-package.json'), { 'x-github-event': 'package' })).toThrowError('GitHub delivery has no X-GitHub-Delivery id');
  });
});
