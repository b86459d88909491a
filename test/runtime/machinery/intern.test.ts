import { describe, expect, it } from 'vitest';
import { StringTable, ValueTable } from '../../../lib/runtime/machinery/intern';

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

  it('gives equal small values one copy, leaves large ones alone, and keeps their content', () => {
    // GIVEN two streams' import policies and conditions, parsed apart (equal, not the same objects)
    const values = new ValueTable(40);
    const a = JSON.parse('{"policy":{"scheduled":true,"interval":"15m"},"from":{"kind":"DockerImage","name":"registry.example/team/a-rather-long-repository-name:v1"}}');
    const b = JSON.parse('{"policy":{"scheduled":true,"interval":"15m"},"from":{"kind":"DockerImage","name":"registry.example/team/another-long-repository-name:v1"}}');
    // WHEN shared
    const [sa, sb] = [values.share(a), values.share(b)];
    // THEN the small equal parts are one object, the large ones stay apart, and nothing changed
    expect(sa.policy).toBe(sb.policy);
    expect(sa.from).not.toBe(sb.from);
    expect([sa, sb]).toEqual([a, b]);
  });
});
