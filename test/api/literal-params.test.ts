import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DECODE_LITERAL_SH, decodeLiteral, encodeLiteral, kubernetesLiteral } from '../../lib/api/literal-params';
import { kubernetesExpand } from '../support/tekton/kubernetes-expand';
import { applyPasses } from '../support/tekton/substitute';

const SAMPLES = ['$(date)', 'cost $$5', '$(params.IMAGE)', '%24 and %25 and 100%', '$', '%', 'x\n\n', 'RUN echo "$HOME" \\\n'];
/** Busybox is the shell of the Alpine and busybox step images; dash stands in for POSIX sh. */
const shells = [['sh'], ...(spawnSync('busybox', ['true']).status === 0 ? [['busybox', 'sh']] : [])];

describe('encodeLiteral / decodeLiteral', () => {
  it.each(SAMPLES)('round-trips %j, and its encoding has no $ for Tekton or the kubelet to read', (value) => {
    const encoded = encodeLiteral(value);
    expect(encoded).not.toContain('$');
    expect(decodeLiteral(encoded)).toBe(value);
    // What Tekton's passes and the kubelet do to it changes nothing
    const tekton = applyPasses(encoded, { strings: new Map([['params.IMAGE', 'x'], ['context.taskRun.name', 'y']]), arrays: new Map() });
    expect(kubernetesExpand(tekton, () => 'z')).toBe(encoded);
  });

  it('leaves text without % and $ as it is, so hand-written run params still work', () => {
    expect(encodeLiteral('https://git.example.com/a b.git')).toBe('https://git.example.com/a b.git');
    expect(decodeLiteral('https://git.example.com/a%20b.git')).toBe('https://git.example.com/a%20b.git');
  });

  it.each(shells)('decode_literal in %s agrees with decodeLiteral, trailing newlines kept', (...shell) => {
    for (const value of SAMPLES) {
      const script = `${DECODE_LITERAL_SH}\ndecode_literal v "$1"; printf '[%s]' "$v"`;
      const out = execFileSync(shell[0], [...shell.slice(1), '-c', script, 'sh', encodeLiteral(value)], { encoding: 'utf8' });
      expect(out).toBe(`[${value}]`);
    }
  });
});

describe('kubernetesLiteral', () => {
  it('doubles $ so that the kubelet gives back the value', () => {
    for (const value of SAMPLES) expect(kubernetesExpand(kubernetesLiteral(value), () => 'EXPANDED')).toBe(value);
  });
});
