import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig';

describe('kubeconfig', () => {
  it('points context stand-in at the URL with namespace default', () => {
    const doc = parse(kubeconfigYaml('http://127.0.0.1:1234'));
    expect(doc['current-context']).toBe('stand-in');
    expect(doc.contexts[0].context).toEqual({ cluster: 'stand-in', user: 'stand-in', namespace: 'default' });
    expect(doc.clusters[0].cluster).toEqual({ server: 'http://127.0.0.1:1234', 'insecure-skip-tls-verify': true });
  });

  it('is written to a temp file that remove() deletes', () => {
    const written = writeKubeconfig('http://127.0.0.1:1');
    expect(readFileSync(written.path, 'utf8')).toContain('server: http://127.0.0.1:1');
    written.remove();
    expect(existsSync(written.path)).toBe(false);
  });
});
