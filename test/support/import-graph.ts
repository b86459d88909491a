/**
 * The direction of dependence between the project's folders, checked from the import graph of the
 * TypeScript sources (TypeScript's own import scanner, so type-only imports count too):
 * lib/cli → lib/compiler → constructs → lib/api, and lib/runtime → lib/api. Constructs never import
 * lib/runtime; lib/runtime never imports constructs (it is bundled alone into the runtime script).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** The folders that are layers, most specific first (a file belongs to the first that holds it). */
export const LAYERS = ['lib/api', 'lib/runtime', 'lib/compiler', 'lib/cli', 'constructs'] as const;
export type Layer = (typeof LAYERS)[number];

/** What each layer may import besides itself and npm packages. */
export const ALLOWED: Record<Layer, readonly Layer[]> = {
  'lib/api': [],
  'lib/runtime': ['lib/api'],
  constructs: ['lib/api'],
  'lib/compiler': ['constructs', 'lib/api'],
  // The cluster verbs use the runtime's Kubernetes and registry clients.
  'lib/cli': ['lib/compiler', 'constructs', 'lib/api', 'lib/runtime'],
};

/** npm packages lib/api may not use: it holds the contract, with no I/O, no cdk8s and no client. */
export const API_FORBIDDEN_PACKAGES = /^(cdk8s|cdk8s-plus-\d+|constructs|node:(fs|net|http|https|child_process|dns|tls))(\/|$)/;

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

/** Every relative import and npm import of the .ts files under `roots`, resolved to repository paths. */
export function importGraph(root: string, roots: readonly string[]): { local: ImportEdge[]; packages: ImportEdge[] } {
  const local: ImportEdge[] = [];
  const packages: ImportEdge[] = [];
  for (const file of roots.flatMap((r) => tsFiles(join(root, r)))) {
    const from = relative(root, file);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!specifier.startsWith('.')) {
        packages.push({ from, to: specifier, specifier });
        continue;
      }
      local.push({ from, to: relative(root, resolveModule(resolve(dirname(file), specifier))), specifier });
    }
  }
  return { local, packages };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveModule(base: string): string {
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch { /* try the next */ }
  }
  return base;
}

export function layerOf(path: string): Layer | undefined {
  return LAYERS.find((layer) => path === layer || path.startsWith(`${layer}/`));
}

/** Imports that go against the allowed direction, as `from → to`. */
export function violations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (!from || !to || from === to || ALLOWED[from].includes(to)) return [];
    return [`${edge.from} imports ${edge.to} (${from} may not depend on ${to})`];
  });
}

/** Cycles between folders (two levels deep, e.g. constructs/system ⇄ constructs/imagestream), as `a -> b -> a`. */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
  const folder = (path: string) => path.split('/').slice(0, path.startsWith('lib/') ? 3 : 2).join('/').replace(/\.ts$/, '');
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = [folder(e.from), folder(e.to)];
    if (a !== b) graph.set(a, new Set([...(graph.get(a) ?? []), b]));
  }
  const cycles = new Set<string>();
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const start = cycle.indexOf([...cycle].sort()[0]);
        cycles.add([...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' -> '));
      } else if (path.length < 12) visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...cycles].sort();
}

