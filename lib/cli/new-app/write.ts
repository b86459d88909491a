import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../../compiler/diagnostics';
import { parseReference } from '../../api/image-reference';
import { identifier, quote } from '../convert/code';
import type { Detected } from './detect';

/** One app for main.ts: what to clone, how it builds, where it runs. */
export interface NewApp {
  readonly name: string;
  readonly namespace: string;
  readonly uri: string;
  readonly ref?: string;
  readonly contextDir?: string;
  readonly detected: Detected;
}

/** What new-app wrote, for the summary. */
export interface Written {
  readonly created: boolean;
  /** The stream the base is imported into, if any. */
  readonly baseStream?: { readonly name: string; readonly tag: string; readonly image: string };
  readonly addedSystem: boolean;
  /** A System without a registry behind streams was there already. */
  readonly systemWithoutRegistry: boolean;
}

const NEW_FILE = `// Apps made by \`imagestreams new-app\`; synthesize with \`imagestreams synth\`.
import { App } from 'cdk8s';

const app = new App();

app.synth();
`;

/**
 * Adds a GitApp for `app` to `file`: a new main.ts, or an existing one whose App, System and charts
 * it reuses (the System gets a registry behind streams if it is added here; a chart of the
 * namespace is added when there is none).
 */
export async function writeApp(file: string, app: NewApp, display = file): Promise<Written> {
  const { Project, QuoteKind, SyntaxKind } = await import('ts-morph');
  const created = !existsSync(file);
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { quoteKind: QuoteKind.Single } });
  const source = project.createSourceFile('main.ts', created ? NEW_FILE : readFileSync(file, 'utf8'));
  const text = source.getFullText();
  const news = source.getDescendantsOfKind(SyntaxKind.NewExpression);
  const appVar = news.find((n) => n.getExpression().getText() === 'App')?.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName();
  if (!appVar) throw UserError.of(`${file} has no \`const app = new App()\` to add to`, { notes: ['write the app into a new file with --out, or add the App first'] });
  if (news.some((n) => n.getExpression().getText() === 'GitApp' && n.getArguments()[1]?.getText() === quote(app.name))) {
    throw UserError.of(`${display} has an app named ${app.name} already`, { notes: ['choose another name with --name'] });
  }
  const system = news.find((n) => n.getExpression().getText() === 'System');
  const synth = source.getStatements().find((s) => /\.synth\(\)\s*;?\s*$/.test(s.getText()));
  const insertAt = synth ? synth.getChildIndex() : source.getStatements().length;
  const statements: string[] = [];
  const ours = new Set(['GitApp']);
  const cdk8s = new Set<string>();
  if (!system) {
    ours.add('System').add('StreamRegistry');
    statements.push(
      "// Builds push to a registry that the System deploys; nodes pull from it through a NodePort (see StreamRegistry",
      '// for the trade-offs, or StreamRegistry.external({ host, pushSecret }) for yours).',
      `new System(${appVar}, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });`,
      '',
    );
  }
  const chart = chartFor(news.filter((n) => n.getExpression().getText() === 'Chart').map((n) => ({ text: n.getText(), variable: n.getParentIfKind(SyntaxKind.VariableDeclaration)?.getName() })), app.namespace);
  let chartVar = chart;
  if (!chartVar) {
    cdk8s.add('Chart');
    chartVar = uniqueName(text, identifier(app.namespace));
    statements.push('', `const ${chartVar} = new Chart(${appVar}, ${quote(app.namespace)}, { namespace: ${quote(app.namespace)} });`, '');
  }
  const base = baseOf(app, text);
  if (base) ours.add('AppBase');
  statements.push(...gitAppStatement(app, chartVar, base), '');
  source.insertStatements(insertAt, statements.join('\n'));
  addNamedImports(source, 'cdk8s-imagestreams', ours);
  if (cdk8s.size) addNamedImports(source, 'cdk8s', cdk8s);
  source.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  writeFileSync(file, source.getFullText().replace(/\n{3,}/g, '\n\n'));
  return { created, baseStream: base?.stream, addedSystem: !system, systemWithoutRegistry: !!system && !/registry\s*:/.test(system.getText()) };
}

function addNamedImports(source: import('ts-morph').SourceFile, module: string, names: ReadonlySet<string>): void {
  const existing = source.getImportDeclaration((d) => d.getModuleSpecifierValue() === module);
  if (!existing) {
    source.addImportDeclaration({ moduleSpecifier: module, namedImports: [...names].sort() });
    return;
  }
  const have = new Set(existing.getNamedImports().map((n) => n.getName()));
  const missing = [...names].filter((n) => !have.has(n));
  if (missing.length) existing.addNamedImports(missing.sort());
}

/** The variable of the chart whose namespace is `namespace`. */
function chartFor(charts: readonly { text: string; variable?: string }[], namespace: string): string | undefined {
  return charts.find((c) => c.variable && new RegExp(`namespace:\\s*['"]${namespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(c.text))?.variable;
}

function uniqueName(text: string, wanted: string): string {
  let name = wanted;
  for (let i = 2; new RegExp(`\\b${name}\\b`).test(text); i++) name = `${wanted}${i}`;
  return name;
}

interface Base {
  readonly expr: string;
  readonly stream?: { readonly name: string; readonly tag: string; readonly image: string };
}

/** The base as an AppBase: a tracked import (a stream named after the image), or a fixed image for a digest. */
function baseOf(app: NewApp, text: string): Base | undefined {
  const image = app.detected.strategy === 'Docker' ? app.detected.from : app.detected.builder;
  if (!image) return undefined;
  const ref = parseReference(image);
  if (ref.digest) return { expr: `AppBase.image(${quote(image)})` };
  const repository = ref.repository.split('/').pop()!;
  // Another app of main.ts imports a stream of that name already: this one gets its own.
  const name = new RegExp(`stream:\\s*'${repository}'`).test(text) ? `${app.name}-${repository}` : repository;
  const tag = ref.tag ?? 'latest';
  return { expr: `AppBase.importImage(${quote(image)}, { stream: ${quote(name)}, tag: ${quote(tag)} })`, stream: { name, tag, image } };
}

function gitAppStatement(app: NewApp, chart: string, base: Base | undefined): string[] {
  const d = app.detected;
  const git = [`uri: ${quote(app.uri)}`, ...(app.ref ? [`ref: ${quote(app.ref)}`] : []), ...(app.contextDir ? [`contextDir: ${quote(app.contextDir)}`] : [])];
  const props = [`git: { ${git.join(', ')} }`];
  if (d.strategy === 'Source') props.push("strategy: 'Source'");
  if (base) props.push(`base: ${base.expr}`);
  if (d.strategy === 'Docker' && d.dockerfile !== 'Dockerfile') props.push(`dockerfilePath: ${quote(d.dockerfile)}`);
  props.push(`ports: [${d.ports.join(', ')}]`);
  const how = d.strategy === 'Docker'
    ? `its ${d.dockerfile}${d.from ? `, FROM ${d.from} tracked as a stream` : d.fromNote ? ` (${d.fromNote})` : ''}`
    : `S2I, ${d.marker ? `${d.language} (found ${d.marker})` : 'the builder given'} on ${d.builder}`;
  return [
    `// ${app.name}: built from ${app.uri}${app.ref ? ` (${app.ref})` : ''}`,
    `// with ${how}; deployed, following its image.`,
    `new GitApp(${chart}, ${quote(app.name)}, {\n${props.map((p) => `  ${p},`).join('\n')}\n});`,
  ];
}
