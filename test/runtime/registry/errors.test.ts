import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../lib/runtime/registry/errors';

describe('RegistryError', () => {
  it('carries a condition reason, a message and a status, and is recognised without instanceof', () => {
    // GIVEN an error
    const error = new RegistryError('NotFound', 'gone', 404);
    // THEN its fields are set and the brand check tells it from other errors
    expect(error).toMatchObject({ name: 'RegistryError', reason: 'NotFound', message: 'gone', status: 404 });
    expect(RegistryError.isRegistryError(error)).toBe(true);
    expect(RegistryError.isRegistryError(new Error('gone'))).toBe(false);
    expect(RegistryError.isRegistryError({ reason: 'NotFound' })).toBe(false);
    expect(RegistryError.isRegistryError(null)).toBe(false);
  });
});
