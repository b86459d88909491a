import { describe, expect, it } from 'vitest';
import { NdjsonSplitter } from '../../../lib/runtime/kube/ndjson';

describe('NdjsonSplitter', () => {
  it('joins lines split across chunks', () => {
    // GIVEN two events cut at arbitrary points
    const splitter = new NdjsonSplitter();
    const text = '{"type":"ADDED","n":1}\n{"type":"MODIFIED","n":2}\n';
    // WHEN fed in three pieces
    const values = [...splitter.push(text.slice(0, 10)), ...splitter.push(text.slice(10, 30)), ...splitter.push(text.slice(30))];
    // THEN both come out whole, in order
    expect(values).toEqual([{ type: 'ADDED', n: 1 }, { type: 'MODIFIED', n: 2 }]);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('{"name":"ünïcødé"}\n');
    const splitter = new NdjsonSplitter();
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of 'ü'
    expect([...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut))]).toEqual([{ name: 'ünïcødé' }]);
  });

  it('skips blank lines and emits a last line without newline at the end', () => {
    const splitter = new NdjsonSplitter();
    expect(splitter.push('\n{"a":1}\r\n\n{"b"')).toEqual([{ a: 1 }]);
    expect(splitter.push(':2}')).toEqual([]);
    expect(splitter.end()).toEqual([{ b: 2 }]);
  });

  it('throws on a line that is not JSON', () => {
    expect(() => new NdjsonSplitter().push('<html>\n')).toThrowError('watch stream sent a line that is not JSON: <html>');
  });
});
