import { className, identifier, markParameters, NameScope, plain, quote, type ParamNames } from './code';
import { convertBuildConfig } from './buildconfig';
import { convertImageStream, declareImageStream, outputTagsOf } from './imagestream';
import { CDK8S, Imports, ObjectCtx, OURS, Report, Unit } from './model';
import { convertPassthrough, isRuntimeObject, skipOpenShiftObject, skipRuntimeObject } from './passthrough';
import { RESTRICTED } from './pod';
import type { InputObject, KubeLike } from './read';
import { convertRoute } from './route';
import { convertService } from './service';
import { convertDeploymentConfig } from './workload';
import { splitStreamTag } from './references';

export interface ConvertOptions {
  /** The namespace of objects that name none. @default 'default' */
  readonly namespace?: string;
  /** What was converted, for the header comment (a file, a folder, stdin). */
  readonly source: string;
}

export interface ConvertResult {
  /** The TypeScript app, formatted. */
  readonly code: string;
  readonly report: Report;
}

/** The value written for a Template parameter that OpenShift generated, or that is required without a value. */
export const PARAMETER_PLACEHOLDER = 'change-me';
/** The same, for a parameter that is a BuildConfig's repository: it must look like a git URL. */
export const GIT_URL_PLACEHOLDER = 'https://git.example.com/change-me.git';

/** What main.ts passes for a parameter without a value: a git URL where the template clones it. */
export function placeholderFor(template: { objects?: unknown[] }, param: string): string {
  const clones = (template.objects ?? []).some((o) => {
    const bc = o as { kind?: string; spec?: { source?: { git?: { uri?: string } } } };
    return bc.kind === 'BuildConfig' && bc.spec?.source?.git?.uri === `\${${param}}`;
  });
  return clones ? GIT_URL_PLACEHOLDER : PARAMETER_PLACEHOLDER;
}

interface TemplateParameter {
  readonly name: string;
  readonly value?: string;
  readonly generate?: string;
  readonly from?: string;
  readonly required?: boolean;
  readonly description?: string;
  readonly displayName?: string;
}

interface TemplateClass {
  readonly name: string;
  readonly docs: string;
  readonly params: readonly (TemplateParameter & { prop: string; needed: boolean; index: number; placeholder: string })[];
  readonly unit: Unit;
  readonly labels?: Record<string, string>;
  readonly namespace: string;
  readonly id: string;
}

/** Which conversion each kind gets, in the order objects are written (streams before what uses them). */
const ORDER = ['ImageStream', 'BuildConfig', 'Service', 'DeploymentConfig', '*', 'Route'];

/**
 * Converts OpenShift objects to a TypeScript app: one chart per namespace in `main.ts`, one
 * construct class per Template. Every field without an equivalent is in the report and in a
 * TODO(convert) comment above the code of its object.
 */
export async function convertObjects(inputs: readonly InputObject[], options: ConvertOptions): Promise<ConvertResult> {
  const imports = new Imports();
  const report = new Report();
  const topNames = new NameScope(['app', 'kplus', RESTRICTED]);
  const templates: TemplateClass[] = [];
  const charts = new Map<string, { variable: string; unit?: Unit; objects: InputObject[] }>();
  const chartFor = (namespace: string) => {
    if (!charts.has(namespace)) charts.set(namespace, { variable: topNames.take(identifier(namespace)), objects: [] });
    return charts.get(namespace)!;
  };
  for (const input of inputs) {
    const namespace = input.object.metadata?.namespace ?? options.namespace ?? 'default';
    if (input.object.kind === 'Template') {
      chartFor(namespace);
      templates.push(templateClass(input, imports, report, topNames, namespace));
    } else {
      chartFor(namespace).objects.push(input);
    }
  }
  for (const [namespace, chart] of charts) {
    chart.unit = new Unit(imports, chart.variable, namespace, topNames);
    convertUnit(chart.unit, chart.objects, report);
  }
  const code = await generate({ imports, templates, charts, source: options.source, count: inputs.length });
  return { code, report };
}

function convertUnit(unit: Unit, objects: readonly InputObject[], report: Report): void {
  const contexts = objects.map((input) => new ObjectCtx(unit, input, report));
  const of = (kind: string) => contexts.filter((c) => (kind === '*' ? !ORDER.includes(c.kind) : c.kind === kind && isOpenShiftOrCore(c)));
  const rest = contexts.filter((c) => !ORDER.includes(c.kind) || !isOpenShiftOrCore(c));
  for (const ctx of of('ImageStream')) declareImageStream(ctx);
  const buildConfigs = of('BuildConfig');
  declareOutputStreams(unit, buildConfigs);
  const outputs = outputTagsOf(unit, buildConfigs.map((c) => c.object as { metadata?: { namespace?: string }; spec?: unknown }));
  const steps: [ObjectCtx[], (ctx: ObjectCtx) => void][] = [
    [of('ImageStream'), (ctx) => convertImageStream(ctx, outputs)],
    [buildConfigs, convertBuildConfig],
    [of('Service'), convertService],
    [of('DeploymentConfig'), convertDeploymentConfig],
    [rest, convertOther],
    [of('Route'), convertRoute],
  ];
  for (const [list, convert] of steps) {
    for (const ctx of list) {
      const start = unit.statements.length;
      convert(ctx);
      ctx.finish();
      const header = `// ${ctx.kind} ${plain(ctx.name)} (${ctx.input.file})`;
      unit.statements.splice(start, 0, '', header, ...ctx.todos);
    }
  }
}

/** Core and OpenShift kinds by their API group: a `Route` of another group is someone else's. */
function isOpenShiftOrCore(ctx: ObjectCtx): boolean {
  const group = ctx.object.apiVersion.includes('/') ? ctx.object.apiVersion.split('/')[0] : '';
  return group === '' || group.endsWith('openshift.io');
}

function convertOther(ctx: ObjectCtx): void {
  if (isRuntimeObject(ctx.kind)) return skipRuntimeObject(ctx);
  if (ctx.object.apiVersion.split('/')[0].endsWith('openshift.io')) return skipOpenShiftObject(ctx);
  convertPassthrough(ctx);
}

/** A stream for each BuildConfig output the input doesn't define: OpenShift needs it to exist, here the build declares its tag. */
function declareOutputStreams(unit: Unit, buildConfigs: readonly ObjectCtx[]): void {
  for (const ctx of buildConfigs) {
    const to = ctx.peek<{ kind?: string; name?: string; namespace?: string }>('spec.output.to');
    if (to?.kind !== 'ImageStreamTag' || !to.name) continue;
    const namespace = to.namespace ?? ctx.object.metadata?.namespace;
    const { stream } = splitStreamTag(to.name);
    const key = `${unit.namespaceKey(namespace)}/${stream}`;
    if (unit.streams.has(key) || (namespace !== undefined && unit.namespace !== undefined && namespace !== unit.namespace)) continue;
    const variable = unit.vars.take(identifier(stream, 'Stream'));
    unit.streams.set(key, { variable, outputTags: new Set() });
    unit.imports.add(OURS, 'ImageStream');
    const id = unit.ids.take(plain(stream).replace(/\$\{|\}/g, ''));
    const name = id !== stream ? `, { name: ${ctxStr(unit, stream)} }` : '';
    unit.add('', `// ImageStream ${plain(stream)}: the output of BuildConfig ${plain(ctx.name)}, which the input does not define`, `const ${variable} = new ImageStream(${unit.scope}, ${quote(id)}${name});`);
  }
}

function ctxStr(unit: Unit, text: string): string {
  return new ObjectCtx(unit, { file: '', object: { apiVersion: 'v1', kind: 'x' } }, new Report()).str(text);
}

/** A Template → a construct class whose props are its parameters. */
function templateClass(input: InputObject, imports: Imports, report: Report, topNames: NameScope, namespace: string): TemplateClass {
  const template = input.object as KubeLike & { parameters?: TemplateParameter[]; objects?: KubeLike[]; labels?: Record<string, string>; message?: string };
  const parameters = template.parameters ?? [];
  const known = new Set(parameters.map((p) => p.name));
  const props = new NameScope();
  const params = parameters.map((p, index) => ({
    ...p, index, prop: props.take(identifier(p.name)), needed: p.value === undefined && (p.generate !== undefined || p.required === true), placeholder: placeholderFor(template, p.name),
  }));
  const byName = new Map(params.map((p) => [p.name, p]));
  const names: ParamNames = {
    ref: (param) => `p.${byName.get(param)?.prop ?? identifier(param)}`,
    value: (param) => (byName.get(param)?.needed ? byName.get(param)!.placeholder : byName.get(param)?.value ?? ''),
  };
  const unit = new Unit(imports, 'this', undefined, new NameScope(['p', 'ns', 'app', 'kplus', RESTRICTED]), names);
  const ctx = new ObjectCtx(unit, input, report);
  const name = ctx.take<string>('metadata.name') ?? 'template';
  ctx.take('metadata.namespace');
  const annotations = ctx.take<Record<string, string>>('metadata.annotations') ?? {};
  const console = Object.keys(annotations).filter((k) => k !== 'openshift.io/display-name' && k !== 'description');
  if (console.length) ctx.todo('metadata.annotations', `the catalog's annotations (${console.join(', ')}) have no equivalent: the display name and description are the class comment`);
  ctx.take('metadata.labels');
  ctx.take('parameters');
  ctx.take('objects');
  const labels = ctx.take<Record<string, string>>('labels');
  if (template.message) ctx.todo('message', 'the message oc new-app printed after instantiating has no equivalent: it is kept in the class comment');
  for (const p of params) {
    if (p.generate) ctx.todo(`parameters[${p.index}]`, `${p.name} was generated by OpenShift (${p.generate} from ${p.from ?? '?'}): it is a required prop; main.ts passes '${p.placeholder}'`);
    else if (p.needed) ctx.todo(`parameters[${p.index}]`, `${p.name} is required and has no value: main.ts passes '${p.placeholder}'`);
  }
  const objects: InputObject[] = (template.objects ?? []).map((o) => ({ file: input.file, object: markParameters(o, known) as KubeLike }));
  convertUnit(unit, objects, report);
  ctx.finish();
  const docs = [
    annotations['openshift.io/display-name'] ?? name,
    annotations.description,
    `Converted from the OpenShift Template ${name}: its parameters are the props.`,
    ...(template.message ? [`After instantiating, OpenShift printed: ${template.message}`] : []),
    ...ctx.todos.map((t) => t.replace(/^\/\/ /, '')),
  ].filter(Boolean).join('\n\n');
  return { name: topNames.take(className(name)), docs, params, unit, labels, namespace, id: name };
}

interface Program {
  readonly imports: Imports;
  readonly templates: readonly TemplateClass[];
  readonly charts: ReadonlyMap<string, { variable: string; unit?: Unit; objects: InputObject[] }>;
  readonly source: string;
  readonly count: number;
}

/** Writes the program with ts-morph: imports, the restricted security settings, template classes, the App. */
async function generate(program: Program): Promise<string> {
  const { Project, QuoteKind, StructureKind, VariableDeclarationKind } = await import('ts-morph');
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { quoteKind: QuoteKind.Single } });
  const file = project.createSourceFile('main.ts', '');
  const { imports } = program;
  imports.add(CDK8S, 'App', 'Chart');
  imports.add(OURS, 'System');
  if (imports.registry) imports.add(OURS, 'StreamRegistry');
  if (program.templates.length) imports.add('constructs', 'Construct');
  if (program.templates.some((t) => t.labels)) imports.add(CDK8S, 'ApiObject');
  if (program.templates.some((t) => t.unit.usesNamespace)) imports.add(CDK8S, 'Chart');
  for (const [module, names] of [...imports.named].sort(([a], [b]) => moduleOrder(a) - moduleOrder(b))) {
    file.addImportDeclaration({ moduleSpecifier: module, namedImports: [...names].sort() });
    if (module === CDK8S && imports.kplus) file.addImportDeclaration({ moduleSpecifier: 'cdk8s-plus-27', namespaceImport: 'kplus' });
  }
  if (imports.kplus && !imports.named.has(CDK8S)) file.addImportDeclaration({ moduleSpecifier: 'cdk8s-plus-27', namespaceImport: 'kplus' });
  if (imports.restricted) {
    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      leadingTrivia: [
        '/**',
        " * OpenShift admitted every pod under its restricted-v2 SecurityContextConstraints, which set what the",
        ' * manifests leave out: no privilege escalation, every capability dropped, a non-root user (OpenShift',
        " * picked a uid of the namespace's range; an image whose USER is root needs `user` set here) and a",
        ' * writable root filesystem. Written out for Kubernetes, where they pass Pod Security "restricted".',
        ' */',
      ].join('\n') + '\n',
      declarations: [{
        name: RESTRICTED,
        type: 'kplus.ContainerSecurityContextProps',
        initializer: "{ ensureNonRoot: true, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL' as kplus.Capability] } }",
      }],
    });
  }
  for (const t of program.templates) addTemplateClass(file, t, StructureKind);
  file.addStatements(mainStatements(program).join('\n'));
  file.insertText(0, [
    `// Converted by \`imagestreams convert ${program.source}\` from ${program.count} OpenShift object${program.count === 1 ? '' : 's'}.`,
    '// Each TODO(convert) names a field that has no equivalent here, and why. Check with `imagestreams check`,',
    '// synthesize with `imagestreams synth`.',
    '',
    '',
  ].join('\n'));
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  return dropUnusedVariables(file.getFullText().replace(/\n{3,}/g, '\n\n'));
}

/** `const x = new Y(...)` → `new Y(...)` where nothing else uses x (no unused variables in the app). */
function dropUnusedVariables(text: string): string {
  return text.replace(/^(\s*)const (\w+) = new /gm, (all, indent: string, name: string) => {
    const uses = text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
    return uses > 1 ? all : `${indent}new `;
  });
}

function moduleOrder(module: string): number {
  return { cdk8s: 0, 'cdk8s-plus-27': 1, constructs: 2, 'cdk8s-imagestreams': 3 }[module] ?? 4;
}

function addTemplateClass(file: import('ts-morph').SourceFile, t: TemplateClass, kinds: typeof import('ts-morph').StructureKind): void {
  const required = t.params.some((p) => p.needed);
  file.addInterface({
    name: `${t.name}Props`,
    isExported: true,
    docs: [`The parameters of the Template ${t.id}.`],
    properties: t.params.map((p) => ({
      name: p.prop,
      type: 'string',
      isReadonly: true,
      hasQuestionToken: !p.needed,
      docs: [[`${p.displayName ?? p.name}${p.description ? `: ${p.description}` : ''}`, `(parameter ${p.name})`,
        p.generate ? `OpenShift generated it (${p.generate} from ${p.from ?? '?'}).` : '',
        p.needed ? '' : `@default ${quote(p.value ?? '')}`].filter(Boolean).join('\n')],
    })),
  });
  const defaults = t.params.filter((p) => !p.needed).map((p) => `${p.prop}: ${quote(p.value ?? '')}`);
  const statements = [
    'super(scope, id);',
    `const p = { ${defaults.length ? `${defaults.join(', ')}, ` : ''}...props };`,
    ...(t.unit.usesNamespace ? ["const ns = Chart.of(this).namespace ?? 'default';"] : []),
    t.unit.statements.join('\n'),
    ...(t.labels ? [
      '',
      '// The Template\'s labels, on every object it makes (as oc process adds them).',
      `for (const o of this.node.findAll()) if (ApiObject.isApiObject(o)) for (const [key, value] of Object.entries(${literalLabels(t.labels)})) o.metadata.addLabel(key, value);`,
    ] : []),
  ];
  file.addClass({
    kind: kinds.Class,
    name: t.name,
    isExported: true,
    extends: 'Construct',
    docs: [t.docs],
    ctors: [{
      parameters: [{ name: 'scope', type: 'Construct' }, { name: 'id', type: 'string' }, { name: 'props', type: `${t.name}Props`, ...(required ? {} : { initializer: '{}' }) }],
      statements,
    }],
  });
}

function literalLabels(labels: Record<string, string>): string {
  return `{ ${Object.entries(labels).map(([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k)}: ${quote(v)}`).join(', ')} }`;
}

function mainStatements(program: Program): string[] {
  const lines = ['', 'const app = new App();'];
  if (program.imports.registry) {
    lines.push(
      "// OpenShift's internal registry → a registry behind streams, where builds push and nodes pull: here one that the",
      '// System deploys, pulled through a NodePort (see StreamRegistry for the trade-offs; StreamRegistry.external for yours).',
      "new System(app, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });",
    );
  } else {
    lines.push("new System(app, 'imagestreams');");
  }
  for (const [namespace, chart] of program.charts) {
    lines.push('', `const ${chart.variable} = new Chart(app, ${quote(namespace)}, { namespace: ${quote(namespace)} });`);
    lines.push(...(chart.unit?.statements ?? []));
    for (const t of program.templates.filter((x) => x.namespace === namespace)) {
      const needed = t.params.filter((p) => p.needed);
      const props = needed.map((p) => `${p.prop}: ${quote(p.placeholder)}, // TODO(convert): parameter ${p.name}${p.generate ? ` (OpenShift generated it: ${p.generate} from ${p.from ?? '?'})` : ' is required'}`);
      lines.push('', `// Template ${t.id}, with its default parameters`);
      lines.push(props.length ? `new ${t.name}(${chart.variable}, ${quote(t.id)}, {\n${props.map((p) => `  ${p}`).join('\n')}\n});` : `new ${t.name}(${chart.variable}, ${quote(t.id)});`);
    }
  }
  lines.push('', 'app.synth();');
  return lines;
}
