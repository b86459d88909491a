import { describe, expect, it } from 'vitest';
import { StringTable } from '../../../lib/runtime/machinery/intern';

describe('StringTable', () => {
  it('holds each string once, and starts over past its bound instead of growing', () => {
    // GIVEN a table bounded at 3
    const table = new StringTable(3);
    // WHEN the same strings come again THEN it holds each once and gives them back equal
    for (const s of ['a', 'b', 'a', 'b']) expect(table.intern(s)).toBe(s);
    expect(table.size).toBe(2);
    // WHEN more distinct strings come than the bound THEN it never holds more than the bound
    for (const s of ['c', 'd', 'e', 'f', 'g']) table.intern(s);
    expect(table.size).toBeLessThanOrEqual(3);
    expect(table.intern(undefined)).toBeUndefined();
  });
});
