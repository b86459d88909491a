import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { resourceRequirements, sizeQuantity } from '../../../../constructs/system/registry/quantities';

describe('sizeQuantity', () => {
  it('writes the largest binary unit that states the size exactly', () => {
    expect(sizeQuantity('storage', Size.gibibytes(20))).toBe('20Gi');
    expect(sizeQuantity('storage', Size.tebibytes(2))).toBe('2Ti');
    expect(sizeQuantity('storage', Size.mebibytes(1536))).toBe('1536Mi');
    expect(sizeQuantity('storage', Size.gibibytes(1.5))).toBe('1536Mi');
    expect(sizeQuantity('storage', Size.kibibytes(100))).toBe('100Ki');
  });

  it('rejects sizes that are not a positive whole number of KiB', () => {
    expect(() => sizeQuantity('storage', Size.kibibytes(0))).toThrowError("'storage' (0 KiB) must be a positive whole number of kibibytes, e.g. Size.gibibytes(20)");
    expect(() => sizeQuantity('storage', Size.kibibytes(0.5))).toThrowError("'storage' (0.5 KiB) must be a positive whole number of kibibytes, e.g. Size.gibibytes(20)");
  });
});

describe('resourceRequirements', () => {
  it('maps cdk8s-plus ContainerResources to requests and limits', () => {
    const resources = resourceRequirements({
      cpu: { request: Cpu.millis(100), limit: Cpu.units(2) },
      memory: { request: Size.mebibytes(128), limit: Size.gibibytes(1) },
      ephemeralStorage: { limit: Size.mebibytes(512) },
    });
    expect(resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '512Mi' },
    });
  });

  it('leaves out what is not given, and names the field of a bad size', () => {
    expect(resourceRequirements({ memory: { limit: Size.mebibytes(256) } })).toEqual({ limits: { memory: '256Mi' } });
    expect(resourceRequirements({})).toEqual({});
    expect(() => resourceRequirements({ memory: { request: Size.kibibytes(0.25) } })).toThrowError(
      "'resources.memory.request' (0.25 KiB) must be a positive whole number of kibibytes, e.g. Size.gibibytes(20)",
    );
  });
});
