import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readableForDiff } from '../../lib/compiler/drift-view';
import { toYamlStream } from '../../lib/compiler/serialize';
import { RUNTIME_FILE, runtimePartFile } from '../../constructs/system/runtime-bundle';

/** Looks like the runtime script: minified JavaScript in lines of 160 characters, 60 KiB of it. */
const SCRIPT = `${Array.from({ length: 400 }, (_, i) => `var a${i}=function(n){return n.map(e=>e*${i}).filter(Boolean)};`.padEnd(160, ';')).join('\n')}\n`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function configMap(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'imagestreams-system' }, data };
}

describe('readableForDiff', () => {
  it('shows the runtime script of a ConfigMap as one line with its size and sha256, as synth writes it', () => {
    // GIVEN the YAML synth writes for a runtime ConfigMap (a block literal of 400 lines)
    const yaml = toYamlStream([configMap('imagestreams-runtime-1', { [RUNTIME_FILE]: SCRIPT, 'other.txt': 'kept\nas is\n' })]);
    expect(yaml.split('\n').length).toBeGreaterThan(400);
    // WHEN it is made readable for a diff
    const view = readableForDiff(yaml);
    // THEN the script is one line: its exact size and the hash of its exact text; the rest is unchanged
    expect(view).toBe([
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: imagestreams-runtime-1',
      '  namespace: imagestreams-system',
      'data:',
      `  ${RUNTIME_FILE}: <the runtime script: ${Buffer.byteLength(SCRIPT).toLocaleString('en-US')} bytes, sha256 ${sha(SCRIPT).slice(0, 16)}…, not shown>`,
      '  other.txt: |',
      '    kept',
      '    as is',
      '',
    ].join('\n'));
  });

  it('summarises the script in every document of a stream, without a final line break, or on one line', () => {
    const noNewline = SCRIPT.trimEnd();
    const yaml = toYamlStream([configMap('a', { [RUNTIME_FILE]: noNewline }), configMap('b', { [runtimePartFile(1)]: 'short();' })]);
    const lines = readableForDiff(yaml).split('\n').filter((l) => l.includes('imagestreams-runtime'));
    expect(lines).toEqual([
      `  ${RUNTIME_FILE}: <the runtime script: ${Buffer.byteLength(noNewline).toLocaleString('en-US')} bytes, sha256 ${sha(noNewline).slice(0, 16)}…, not shown>`,
      `  ${runtimePartFile(1)}: <the runtime script: 8 bytes, sha256 ${sha('short();').slice(0, 16)}…, not shown>`,
    ]);
  });

  it('leaves YAML without the runtime script alone, Tekton step scripts included', () => {
    const yaml = toYamlStream([{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [{ name: 's', script: '#!/bin/sh\nset -eu\necho hi\n' }] } }]);
    expect(readableForDiff(yaml)).toBe(yaml);
  });
});
