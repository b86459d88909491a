/**
 * The README's fenced code blocks, and how the README test runs each: every block is either run
 * (a snippet synthesized in a scaffold app, a command run, an output compared with what the command
 * prints) or classified here with the reason it can't run in a test. A block added later that fits
 * no rule fails the test, so the README can't gain code that nothing runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/temp-app';

export interface Block {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The block's text, its fence's indentation removed, ending without a newline. */
  readonly code: string;
  /** The prose between the previous block and this one. */
  readonly before: string;
}

/** Every fenced block of `markdown` (fences at any indentation, as in list items). */
export function readmeBlocks(markdown = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})([\w-]*)\s*$/.exec(lines[i]);
    if (!open) {
      prose.push(lines[i]);
      continue;
    }
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]); j++) body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    if (j === lines.length) throw new Error(`README.md:${i + 1}: a code block that is never closed`);
    blocks.push({ line: i + 1, lang, code: body.join('\n'), before: prose.join('\n') });
    prose = [];
    i = j;
  }
  return blocks;
}

/** How a block is run, or why it isn't. */
export type Handling =
  | { readonly kind: 'snippet' }
  | { readonly kind: 'app-file'; readonly file: string }
  | { readonly kind: 'install' }
  | { readonly kind: 'app-commands' }
  | { readonly kind: 'transcript'; readonly command: string; readonly cwd: 'repo' | 'from-openshift' }
  | { readonly kind: 'graph' }
  | { readonly kind: 'snippet-output' }
  | { readonly kind: 'install-test' }
  | { readonly kind: 'cluster-commands' }
  | { readonly kind: 'layout' }
  | { readonly kind: 'ci' }
  | { readonly kind: 'cluster-transcript'; readonly verb: string }
  | { readonly kind: 'error-sample'; readonly messages: readonly string[] }
  | { readonly kind: 'classified'; readonly reason: string; readonly parse?: 'yaml' | 'toml' };

/**
 * Blocks that can't run in a test, recognised by their content, and why. Keep this short: a block
 * that can run must be run.
 */
const CLASSIFIED: readonly { readonly match: RegExp; readonly reason: string; readonly parse?: 'yaml' | 'toml' }[] = [
  { match: /tekton-releases\/pipeline\/latest\/release\.yaml/, reason: "installs Tekton's latest release from storage.googleapis.com; the tests install Tekton's CRDs and its own admission webhooks from test/support/cluster/tekton.ts instead" },
  { match: /^curl .*hooks\.example\.com/m, reason: "a delivery to Tekton Triggers' EventListener behind your Ingress, which the test control plane doesn't run; test/constructs/buildconfig/webhook/git-hosts.test.ts tests the Generic trigger's filter on such deliveries" },
  { match: /name: imagestreams-webhook-secrets/, reason: "a Role for a namespace named in prose; test/runtime/receiver/git-webhooks/secret-access.live.test.ts grants the same Role and sees deliveries accepted (parsed here: it must be valid YAML)", parse: 'yaml' },
  { match: /kind: Kustomization/, reason: "Flux's configuration: the test cluster runs no Flux (parsed here: it must be valid YAML)", parse: 'yaml' },
  { match: /ignoreDifferences:/, reason: "Argo CD's configuration: the test cluster runs no Argo CD (parsed here: it must be valid YAML)", parse: 'yaml' },
  { match: /driftIgnoreRules:/, reason: "Flux's configuration: the test cluster runs no Flux (parsed here: it must be valid YAML)", parse: 'yaml' },
  { match: /^\[\[registry\]\]/, reason: "CRI-O's registries.conf on a node: the test cluster has no nodes (parsed here: it must be valid TOML)", parse: 'toml' },
];

/** How the README test handles `block`, or undefined when no rule fits (which fails the test). */
export function handlingOf(block: Block): Handling | undefined {
  const { lang, code } = block;
  for (const c of CLASSIFIED) if (c.match.test(code)) return { kind: 'classified', reason: c.reason, parse: c.parse };
  if (lang === 'ts') {
    const file = /^\/\/ ([\w./-]+\.ts)\n/.exec(code)?.[1];
    return file ? { kind: 'app-file', file } : { kind: 'snippet' };
  }
  if (lang === 'yaml' && /^language: typescript$/m.test(code)) return { kind: 'app-file', file: 'cdk8s.yaml' };
  if (lang === 'json' && /"compilerOptions"/.test(code)) return { kind: 'app-file', file: 'tsconfig.json' };
  if (lang === 'json') return { kind: 'snippet-output' };
  if (lang === 'mermaid') return { kind: 'graph' };
  if (lang === 'sh') {
    if (/^npm ci && npm run synth$|^scripts\/install-test-deps\.sh /m.test(code)) return { kind: 'ci' };
    if (/npm pack/.test(code)) return { kind: 'install' };
    if (/kubectl wait --for condition=Established/.test(code)) return { kind: 'install-test' };
    if (/^npx |^npm install /m.test(code)) return { kind: 'app-commands' };
    if (/kubectl /.test(code)) return { kind: 'cluster-commands' };
  }
  if (lang === '') {
    // A cluster verb's output over builds and imports: the test control plane runs no kubelet and no
    // Tekton controller to make that history; test/cli/<verb>.test.ts tests the output instead (checked).
    const verb = /^\$ imagestreams ([a-z-]+) .*(?:\s-n\s|--follow)/.exec(code.split('\n')[0])?.[1];
    if (verb) return { kind: 'cluster-transcript', verb };
    // Error messages shown without their command: a test must assert each (checked).
    const lines = code.split('\n');
    if (lines.every((l) => ERROR_LINE.test(l) || /^\s+\d*\s*\|/.test(l))) {
      return { kind: 'error-sample', messages: lines.filter((l) => ERROR_LINE.test(l)).map((l) => ERROR_LINE.exec(l)![1].split(/\.\.\.|…/)[0].trim()) };
    }
    const command = /^\$ (imagestreams .*)$/m.exec(code.split('\n')[0])?.[1];
    if (command) return { kind: 'transcript', command, cwd: /\bconvert\b/.test(command) ? 'from-openshift' : 'repo' };
    if (/^lib\/api\/\s/.test(code)) return { kind: 'layout' };
  }
  return undefined;
}

/** An error line as the CLI prints it: `[file:line:col: ]error: MESSAGE` or `[construct/path] error: MESSAGE`. */
const ERROR_LINE = /^(?:\S+:\d+:\d+: |\[[^\]]+\] )?error: (.*)$/;

/** `text` as a pattern in which `…` stands for any text on its line (a line of only `…` for any lines). */
export function elidedPattern(text: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = text.split('\n').map((l) => (l.trim() === '…' ? '(?:.*\\n)*?' : `${l.split('…').map(escape).join('.*')}\\n`));
  return new RegExp(`^${lines.join('')}$`);
}
