/** A kubeconfig for the stand-in: one cluster over plain HTTP, context 'stand-in', namespace 'default'. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrittenKubeconfig {
  path: string;
  remove(): void;
}

export function kubeconfigYaml(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: stand-in',
    '  cluster:',
    `    server: ${url}`,
    // client-node refuses http:// servers unless TLS verification is (meaninglessly) skipped.
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: stand-in',
    '  user:',
    '    token: stand-in-token',
    'contexts:',
    '- name: stand-in',
    '  context:',
    '    cluster: stand-in',
    '    user: stand-in',
    '    namespace: default',
    'current-context: stand-in',
    '',
  ].join('\n');
}

export function writeKubeconfig(url: string): WrittenKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'apiserver-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kubeconfigYaml(url));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
