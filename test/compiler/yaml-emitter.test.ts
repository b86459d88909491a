import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitYaml } from '../../lib/compiler/yaml-emitter';
import { REPO_ROOT } from '../support/temp-app';

/** What kubectl (YAML 1.1) and a YAML 1.2 reader make of the text. */
const read11 = (text: string) => parse(text, { version: '1.1' });
const read12 = (text: string) => parse(text, { version: '1.2' });

const TRICKY_STRINGS = [
  '', ' ', '.', '..', './x', 'a', 'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'Null', '~', '<<', '=',
  '0', '1', '-1', '+1', '0777', '0o17', '0x1F', '1_000', '1e3', '1.5', '.5', '-.5', '.inf', '-.Inf', '.NaN', '1:20', '190:20:30',
  '2026-11-27', '2026-11-27T10:00:00Z', '-', '--', '---', '...', '- x', '? x', ': x', 'a: b', 'a #b', 'a:', '#x', '&a', '*a', '!tag',
  '|', '>', "'q'", '"q"', '%x', '@x', '`x', '[a]', '{a}', 'a,b', 'tab\there', ' lead', 'trail ', 'é ü ✓ 漢字', 'emoji 🚀',
  'line\nbreak', 'ends with newline\n', 'two\n\n', 'three\n\n\n', '\nleading newline', '  indented\nsecond\n', 'a\n  \nb\n',
  'cr\r\nlf', 'nul\u0000', 'bell\u0007', 'del\u007f', 'c1\u0085', 'ls\u2028', 'bom\ufeff', 'back\\slash', 'quote"inside',
  'http://example.com/a?b=c#frag', 'registry.example.com:5000/team/app@sha256:' + 'a'.repeat(64),
  '$(params.IMAGE)', '${VAR}', 'key=value', 'a - b', 'x?', 'spec.template.spec.containers[?(@.name=="web")].image',
];

describe('emitYaml', () => {
  it.each(TRICKY_STRINGS.map((s) => [JSON.stringify(s), s]))('round-trips the string %s as a value, a key and a list item', (_, s) => {
    const doc = { value: s, list: [s, { name: s }], [s]: 1 };
    const text = emitYaml(doc);
    expect(read11(text)).toEqual(doc);
    expect(read12(text)).toEqual(doc);
  });

  it('round-trips numbers, booleans, null, empty and nested collections', () => {
    const doc = { n: [0, -1, 3.25, 1e21, 123456789], b: [true, false], z: null, e: [], m: {}, nested: [[1, 2], [], [{}], { a: [{ b: [1] }] }] };
    const text = emitYaml(doc);
    expect(read11(text)).toEqual(doc);
    expect(read12(text)).toEqual(doc);
  });

  it('writes manifests in the usual Kubernetes style', () => {
    expect(emitYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 'on' } }, data: { script: 'set -eu\necho hi\n', empty: '' }, list: [{ name: 'web', ports: [{ containerPort: 80 }] }, 'plain'] })).toBe([
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: x',
      '  labels:',
      '    a: "on"',
      'data:',
      '  script: |',
      '    set -eu',
      '    echo hi',
      '  empty: ""',
      'list:',
      '  - name: web',
      '    ports:',
      '      - containerPort: 80',
      '  - plain',
      '',
    ].join('\n'));
  });

  it('drops undefined map values and writes undefined list items as null, as JSON does', () => {
    expect(emitYaml({ a: undefined, b: [undefined, 1] })).toBe('b:\n  - null\n  - 1\n');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => emitYaml({ x: Number.NaN })).toThrowError('cannot write NaN to YAML: manifests hold finite numbers only');
  });

  it('round-trips every object the examples synthesize to', () => {
    const dir = join(REPO_ROOT, 'dist', 'seed');
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml'));
    const objects = files.flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()));
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) expect(read11(emitYaml(o))).toEqual(o);
  });
});
