/**
 * The README runs: every fenced block is run or classified with its reason (readme-blocks.ts).
 * TypeScript snippets synthesize, with `imagestreams synth`, inside an app made as the README says
 * (the packed tarball and its peers installed by the README's own commands, outside the repository);
 * its shell commands run there, or against the real control plane; outputs shown after `$ command`
 * are what the command prints; the folder layout names folders that exist.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { useTestKube } from '../support/kube';
import { consumerApp, packedTarball, type ConsumerApp } from '../support/packed-package';
import { REPO_ROOT, tempApp } from '../support/temp-app';
import { elidedPattern, handlingOf, readmeBlocks, type Block, type Handling } from './readme-blocks';
import { readmeInstallCommands } from '../install/readme-install';

const BLOCKS = readmeBlocks().map((block) => ({ block, handling: handlingOf(block) }));
const at = (b: Block) => `README.md:${b.line}`;
const of = <K extends Handling['kind']>(kind: K) => BLOCKS.filter((b) => b.handling?.kind === kind) as { block: Block; handling: Extract<Handling, { kind: K }> }[];

interface Run {
  readonly code: number;
  readonly out: string;
}

/** Runs a README shell line with sh in `cwd`, as a user would type it. */
function sh(line: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd, env: { ...process.env, npm_config_update_notifier: 'false', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0, out: stdout + stderr });
    });
  });
}

/** The lines of a shell block that are commands (comments and continuations joined). */
function commandsOf(code: string): string[] {
  return code.replace(/\\\n\s*/g, '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

it('every block of the README is run by this test or classified with a reason', () => {
  const unhandled = BLOCKS.filter((b) => !b.handling).map(({ block }) => `${at(block)} (${block.lang || 'no language'}): ${block.code.split('\n')[0]}`);
  expect(unhandled, 'add a rule to test/docs/readme-blocks.ts that runs these (or, when they cannot run, classifies them with the reason)').toEqual([]);
  const classified = [...of('classified'), ...of('cluster-transcript')];
  // The classified list stays short: most blocks run.
  expect(classified.length).toBeLessThan(BLOCKS.length / 4);
});

describe('an app made as the README says', () => {
  let app: ConsumerApp;
  const synthesized = new Map<number, string>();

  beforeAll(async () => {
    // GIVEN an empty app outside the repository, installed by the README's commands (the tarball packed from this checkout)
    app = consumerApp([]);
    const tarball = packedTarball();
    for (const { block } of of('install')) {
      for (const command of commandsOf(block.code)) {
        if (/npm pack/.test(command)) continue; // packed above, from this checkout (npm ci would replace the node_modules the tests run with)
        const line = command.replace(/\S*\/(cdk8s-imagestreams-[\d.]+\.tgz)/, (_, file: string) => {
          expect(file, `${at(block)} names the tarball npm pack writes`).toBe(basename(tarball));
          return tarball;
        });
        const run = await sh(`${line} --no-audit --no-fund --prefer-offline`, app.dir);
        expect(run, `${at(block)}: ${line}`).toMatchObject({ code: 0 });
      }
    }
    for (const { block, handling } of of('app-file')) app.write(handling.file, `${block.code}\n`);
  }, 600_000);
  afterAll(() => app?.remove());

  it('installs the package and its peers from the commands the README gives', () => {
    expect(of('install').length).toBeGreaterThan(0);
    expect(existsSync(app.path('node_modules/cdk8s-imagestreams/build/constructs/index.js'))).toBe(true);
    for (const peer of ['cdk8s', 'cdk8s-plus-27', 'constructs']) expect(existsSync(app.path(`node_modules/${peer}/package.json`)), peer).toBe(true);
  });

  it.each(of('app-commands').map(({ block }) => [at(block), block] as const))('runs the commands of %s', async (_, block) => {
    for (const command of commandsOf(block.code)) {
      const line = /^npm install /.test(command) ? `${command} --no-audit --no-fund --prefer-offline` : command;
      const run = await sh(line, app.dir, { IMAGESTREAMS_CACHE_DIR: app.path('.imagestreams-cache') });
      expect(run, `${at(block)}: ${command}`).toMatchObject({ code: 0 });
      // Files a comment says the command writes are there.
      for (const path of filesNamedIn(block.code.split('\n').find((l) => l.trim().startsWith(command)) ?? '')) {
        expect(existsSync(app.path(path)), `${at(block)}: ${command} writes ${path}`).toBe(true);
      }
    }
  }, 300_000);

  describe.each(of('snippet').map(({ block }) => [at(block), block] as const))('the snippet at %s', (where, block) => {
    it('synthesizes with imagestreams synth, in a scaffold app', async () => {
      for (const [i, source] of scaffolds(block.code).entries()) {
        const file = `snippets/readme-${block.line}-${i}.ts`;
        app.write(file, source);
        const out = `snippets-out/${block.line}-${i}`;
        const run = await sh(`npx imagestreams synth ${file} --out ${out}`, app.dir, { IMAGESTREAMS_CACHE_DIR: app.path('.imagestreams-cache') });
        expect(run, `${where}, as ${file}:\n${source}`).toMatchObject({ code: 0 });
        synthesized.set(block.line, out);
      }
    }, 120_000);
  });

  it('type-checks every snippet with the TypeScript and tsconfig the README installs', async () => {
    const run = await sh('npx tsc --noEmit -p .', app.dir);
    expect(run.out).toBe('');
    expect(run.code).toBe(0);
  }, 120_000);

  it.each(of('snippet-output').map(({ block }) => [at(block), block] as const))('the output at %s is what the snippet before it synthesizes', (_, block) => {
    const snippet = [...of('snippet')].reverse().find((s) => s.block.line < block.line)!;
    const out = synthesized.get(snippet.block.line);
    expect(out, `the snippet at ${at(snippet.block)} synthesized`).toBeDefined();
    const expected = JSON.parse(block.code) as unknown;
    const values = objectsUnder(app.path(out!)).flatMap((o) => Object.values(o.metadata?.annotations ?? {})).flatMap((v) => {
      try {
        return [JSON.parse(v) as unknown];
      } catch {
        return [];
      }
    });
    expect(values).toContainEqual(expected);
  });
});

describe('outputs the README shows after a command', () => {
  it.each(of('transcript').map(({ block, handling }) => [at(block), block, handling] as const))('%s: the command prints it', async (where, block, handling) => {
    // GIVEN the folder the command is run in (a copy, where it writes)
    let cwd = REPO_ROOT;
    let copy: ReturnType<typeof tempApp> | undefined;
    if (handling.cwd === 'from-openshift') {
      copy = tempApp();
      cpSync(join(REPO_ROOT, 'examples', 'from-openshift', 'openshift'), copy.path('openshift'), { recursive: true });
      cwd = copy.dir;
    }
    try {
      const run = await cli(cwd, ...handling.command.split(/\s+/).slice(1));
      expect(run.code, run.stderr).toBe(0);
      const expected = block.code.split('\n').slice(1).join('\n');
      expect(`${run.stdout}${run.stderr}`, where).toMatch(elidedPattern(expected));
    } finally {
      copy?.remove();
    }
  });

  it.each(of('graph').map(({ block }) => [at(block), block] as const))('%s is what imagestreams graph prints for the example the prose names', async (where, block) => {
    const entry = /`imagestreams graph ([\w./-]+\.ts)`/.exec(block.before)?.[1];
    expect(entry, `${where}: the prose before the graph names its command`).toBeDefined();
    const run = await cli(REPO_ROOT, 'graph', entry!);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd()).toBe(block.code);
  });
});

describe('commands run against the real control plane', () => {
  const k = useTestKube('readme');

  it('the install commands are the ones test/install runs on an empty cluster', () => {
    const { clientSide, serverSide } = readmeInstallCommands();
    expect(of('install-test').map(({ block }) => block.code.trim()).sort()).toEqual([clientSide, serverSide].sort());
  });

  it.each(of('cluster-commands').map(({ block }) => [at(block), block] as const))('%s', async (where, block) => {
    // GIVEN the seed example's streams and BuildConfigs in a namespace of the test's (the README's `-n seed`)
    const out = tempApp();
    try {
      const synth = await cli(REPO_ROOT, 'synth', join('examples', 'seed', 'main.ts'), '--out', out.path('dist'));
      expect(synth.code, synth.stderr).toBe(0);
      const objects = objectsUnder(out.path('dist')).filter((o) => ['ImageStream', 'BuildConfig'].includes(o.kind) && o.metadata.namespace === 'seed');
      await k.apply(objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: k.namespace } })));
      const env = { PATH: `${k.cluster.binDir}:${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, KUBECONFIG: k.kubeconfigPath, HOME: out.dir, };
      // WHEN the block runs as one script (a variable set on one line is used on the next) THEN it succeeds
      const script = block.code.replace(/-n seed\b/g, `-n ${k.namespace}`).replace(/^imagestreams /gm, `node ${join(REPO_ROOT, 'bin', 'imagestreams.js')} `);
      const run = await sh(`set -e\n${script}`, REPO_ROOT, env);
      expect(run, `${where}:\n${script}`).toMatchObject({ code: 0 });
      if (/kubectl get is,bc/.test(block.code)) {
        expect(run.out).toContain('imagestream.imagestreams.dev/jdk8');
        expect(run.out).toContain('buildconfig.imagestreams.dev/foo');
      }
      const secret = /create secret generic (\S+) --from-literal=(\w+)=/.exec(block.code);
      if (secret) {
        const { stdout } = await k.cluster.kubectl(['get', 'secret', secret[1], '-n', k.namespace, '-o', `jsonpath={.data.${secret[2]}}`]);
        expect(Buffer.from(stdout, 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      out.remove();
    }
  }, 120_000);
});

describe('blocks that are not commands', () => {
  it('the repository set-up commands are the ones .ci/run runs', () => {
    const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    for (const { block } of of('ci')) {
      for (const command of commandsOf(block.code).flatMap((c) => c.split(/\s*&&\s*/))) {
        // `npm run synth` in CI is `npm run synth:check`: the same synthesis, failing when dist/ differs.
        expect(ci.replace('npm run --silent synth:check', 'npm run synth'), `${at(block)}: ${command}`).toContain(command);
      }
    }
  });

  it.each(of('layout').map(({ block }) => [at(block), block] as const))('the layout at %s names folders that exist', (_, block) => {
    // `folder/` at the start of a line, several on one line (`kube/ registry/`), nested by indentation
    const parents: { indent: number; path: string }[] = [];
    for (const line of block.code.split('\n')) {
      const m = /^(\s*)((?:[\w.-]+\/)+(?: (?:[\w.-]+\/)+)*)(?:\s|$)/.exec(line);
      if (!m) continue;
      const indent = m[1].length;
      while (parents.length > 0 && parents[parents.length - 1].indent >= indent) parents.pop();
      const names = m[2].split(' ');
      for (const name of names) {
        const path = join(parents[parents.length - 1]?.path ?? '', name);
        expect(existsSync(join(REPO_ROOT, path)), `${path} (README: ${line.trim()})`).toBe(true);
      }
      parents.push({ indent, path: join(parents[parents.length - 1]?.path ?? '', names[0]) });
    }
  });

  it.each(of('cluster-transcript').map(({ block, handling }) => [at(block), handling.verb] as const))('%s, the output of a cluster verb, is tested by test/cli/%s.test.ts', (_, verb) => {
    expect(existsSync(join(REPO_ROOT, 'test', 'cli', `${verb}.test.ts`))).toBe(true);
  });

  it.each(of('error-sample').map(({ block, handling }) => [at(block), handling.messages] as const))('the error messages at %s are the ones a test asserts', (_, messages) => {
    const tests = testSources();
    for (const message of messages) expect(tests.includes(message) || tests.includes(message.replace(/"/g, '\\"')), message).toBe(true);
  });

  it.each(of('classified').map(({ block, handling }) => [at(block), block, handling] as const))('%s is not run: classified', (_, block, handling) => {
    expect(handling.reason.length).toBeGreaterThan(20);
    if (handling.parse === 'yaml') for (const doc of parseAllDocuments(block.code)) expect(doc.errors).toEqual([]);
    if (handling.parse === 'toml') for (const line of block.code.split('\n')) expect(line).toMatch(/^\s*(\[\[[\w.]+\]\]|[\w-]+\s*=\s*("[^"]*"|true|false|\d+))?\s*(#.*)?$/);
  });
});

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } } & Record<string, unknown>;

/** The text of every test source, to find the messages the README quotes. */
function testSources(): string {
  return (readdirSync(join(REPO_ROOT, 'test'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(REPO_ROOT, 'test', f), 'utf8')).join('\n');
}

/** Every object in the YAML files under `dir`. */
function objectsUnder(dir: string): Obj[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
}

/** The `dist/...` paths a comment names, braces expanded: `dist/a/{b,c}.yaml` → dist/a/b.yaml, dist/a/c.yaml. */
function filesNamedIn(line: string): string[] {
  const comment = line.split(' # ')[1] ?? '';
  return [...comment.matchAll(/\bdist\/[\w./-]*(?:\{[\w,.-]+\}[\w./-]*)?/g)].flatMap(([path]) => {
    const braces = /\{([^}]+)\}/.exec(path);
    return braces ? braces[1].split(',').map((alt) => path.replace(braces[0], alt)) : [path];
  });
}

/** What a snippet needs declared before it, when it uses the name without declaring it. */
const PRELUDE: readonly { readonly name: string; readonly code: (scope: string) => string }[] = [
  { name: 'app', code: () => 'const app = new App();' },
  { name: 'chart', code: () => "const chart = new Chart(app, 'main', { namespace: 'main' });" },
  { name: 'seed', code: () => "const seed = new Chart(app, 'seed', { namespace: 'seed' });" },
  { name: 'systemChart', code: () => "const systemChart = new Chart(app, 'system-chart', { namespace: 'imagestreams-system' });" },
  { name: 'stagingChart', code: () => "const stagingChart = new Chart(app, 'staging', { namespace: 'staging' });" },
  { name: 'prodChart', code: () => "const prodChart = new Chart(app, 'prod', { namespace: 'prod' });" },
  { name: 'jdk8', code: (scope) => `const jdk8 = new ImageStream(${scope}, 'jdk8');\njdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk' });` },
  { name: 'foo', code: (scope) => `const foo = new ImageStream(${scope}, 'foo');` },
  { name: 'nginx', code: () => "const nginx = new ImageStream(new Chart(app, 'platform', { namespace: 'platform' }), 'nginx').allowPull('main');\nnginx.importTag('stable', { from: 'nginx:1.27' });" },
  { name: 'base', code: (scope) => `const base = new ImageStream(${scope}, 'base');\nbase.importTag('latest', { from: 'alpine:3.20' });` },
  { name: 'web', code: (scope) => `const web = new ImageStream(${scope}, 'web');` },
];

const uses = (code: string, name: string) => new RegExp(`(?<![.\\w$'"])${name}\\b`).test(code.replace(/\/\/.*$/gm, ''));
const declares = (code: string, name: string) => new RegExp(`\\b(?:const|let|var|class|function)\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}|import \\* as ${name}\\b`).test(code);

/**
 * The programs a snippet stands for: itself when it makes its own App, else inside a scaffold that
 * declares what it uses and doesn't declare (an App with a System, charts, streams) and imports what
 * it names from cdk8s, cdk8s-plus-27 and cdk8s-imagestreams. A snippet of alternatives (`// Or …`
 * lines) is one program each.
 */
export function scaffolds(snippet: string): string[] {
  if (/new App\(/.test(snippet)) return [/app\.synth\(\)/.test(snippet) ? `${snippet}\n` : `${snippet}\napp.synth();\n`];
  const lines = snippet.split('\n');
  const imports = lines.filter((l) => /^import /.test(l));
  const body = lines.filter((l) => !/^import /.test(l));
  const alternatives: string[][] = [[]];
  for (const line of body) {
    if (/^\/\/ Or\b/.test(line)) alternatives.push([]);
    alternatives[alternatives.length - 1].push(line);
  }
  return alternatives.map((alt) => scaffold(imports.join('\n'), alt.join('\n')));
}

function scaffold(imports: string, body: string): string {
  const scope = uses(body, 'seed') ? 'seed' : 'chart';
  const needed = new Set<string>();
  const need = (name: string) => {
    if (needed.has(name) || declares(imports + body, name)) return;
    if (['jdk8', 'foo', 'base', 'web'].includes(name)) need(scope);
    if (name !== 'app') need('app');
    needed.add(name);
  };
  for (const { name } of PRELUDE) if (uses(body, name)) need(name);
  if (!/new System\(/.test(body)) need('app');
  const prelude = PRELUDE.filter((p) => needed.has(p.name)).map((p) => p.code(scope));
  if (!/new System\(/.test(body)) prelude.splice(1, 0, "new System(app, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });");
  const program = `${prelude.join('\n')}\n${body}\napp.synth();\n`;
  const named = (module: string, names: readonly string[]) => {
    const missing = names.filter((n) => uses(program, n) && !declares(imports, n));
    return missing.length > 0 ? [`import { ${missing.join(', ')} } from '${module}';`] : [];
  };
  const header = [
    ...(imports ? [imports] : []),
    ...named('cdk8s', ['App', 'ApiObject', 'Chart', 'Duration', 'Size']),
    ...(uses(program, 'kplus') && !declares(imports, 'kplus') ? ["import * as kplus from 'cdk8s-plus-27';"] : []),
    ...named('cdk8s-imagestreams', IMAGESTREAMS_EXPORTS),
  ];
  return `${header.join('\n')}\n${program}`;
}

/** The names the package exports (its index's value exports, read from the sources). */
const IMAGESTREAMS_EXPORTS: readonly string[] = (() => {
  const names = new Set<string>();
  const visit = (file: string) => {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|function|const|enum) (\w+)/gm)) names.add(m[1]);
    for (const m of text.matchAll(/^export \* from '(\.[^']+)';/gm)) {
      const target = join(file, '..', m[1]);
      visit(existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
    }
    for (const m of text.matchAll(/^export \{([^}]+)\} from/gm)) for (const n of m[1].split(',')) if (!/^\s*type\s/.test(n)) names.add(n.trim().split(/\s+as\s+/).pop()!);
  };
  visit(join(REPO_ROOT, 'constructs', 'index.ts'));
  return [...names].sort();
})();
