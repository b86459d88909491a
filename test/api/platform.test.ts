import { describe, expect, it } from 'vitest';
import { parsePlatform } from '../../lib/api/platform';

describe('parsePlatform', () => {
  it('reads os/arch and os/arch/variant', () => {
    expect(parsePlatform('linux/arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('rejects anything else with the expected form', () => {
    expect(() => parsePlatform('amd64')).toThrowError("platform 'amd64' must look like os/arch or os/arch/variant, e.g. linux/arm64");
  });
});
