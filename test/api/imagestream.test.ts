import { describe, expect, it } from 'vitest';
import { referencePolicyType } from '../../lib/api/imagestream';
import { mirrorsOnImport } from '../../lib/api/mirror';

describe('referencePolicyType', () => {
  it("reads '' and no policy as Source, as OpenShift's API server defaults them", () => {
    expect(referencePolicyType({ referencePolicy: { type: '' } })).toBe('Source');
    expect(referencePolicyType({})).toBe('Source');
    expect(referencePolicyType(undefined)).toBe('Source');
    expect(referencePolicyType({ referencePolicy: { type: 'Source' } })).toBe('Source');
    expect(referencePolicyType({ referencePolicy: { type: 'Local' } })).toBe('Local');
  });

  it("is what decides whether an import copies the image (a '' tag does not)", () => {
    const from = { kind: 'DockerImage' as const, name: 'registry.example.com/a:1' };
    expect(mirrorsOnImport({ name: 'a', from, referencePolicy: { type: '' } })).toBe(false);
    expect(mirrorsOnImport({ name: 'a', from, referencePolicy: { type: 'Local' } })).toBe(true);
  });
});
