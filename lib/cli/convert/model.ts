import { bool, hasParameters, literal, NameScope, num, plain, str, type ParamNames } from './code';
import type { InputObject, KubeLike } from './read';
import { isServerSet } from './server-fields';

/** A field of the input with no equivalent in the app: a TODO(convert) comment and a line of the summary. */
export interface Finding {
  readonly file: string;
  /** `Kind/name` of the input object. */
  readonly object: string;
  /** The field's path in the input object, e.g. `spec.strategy.recreateParams.pre`. */
  readonly field: string;
  readonly why: string;
}

/** What a conversion found: fields reported, server-set fields dropped, objects converted. */
export class Report {
  readonly findings: Finding[] = [];
  readonly converted = new Map<string, number>();
  /** Server-set fields dropped (status, uid, allocated IPs, defaults the API server fills in), by path. */
  readonly ignored = new Map<string, number>();

  countObject(kind: string): void {
    this.converted.set(kind, (this.converted.get(kind) ?? 0) + 1);
  }

  ignore(field: string): void {
    const top = field.replace(/\[\d+\]/g, '[]');
    this.ignored.set(top, (this.ignored.get(top) ?? 0) + 1);
  }
}

/** Module → names the generated file imports from it. */
export class Imports {
  readonly named = new Map<string, Set<string>>();
  kplus = false;
  /** The generated code uses the module-level restricted security context constant. */
  restricted = false;
  /** A BuildConfig pushes to a stream: the System needs a registry behind streams. */
  registry = false;
  add(module: string, ...names: string[]): void {
    const set = this.named.get(module) ?? new Set<string>();
    for (const n of names) set.add(n);
    this.named.set(module, set);
  }
  /** `kplus.X`, importing cdk8s-plus-27. */
  plus(name: string): string {
    this.kplus = true;
    return `kplus.${name}`;
  }
}

export const CDK8S = 'cdk8s';
export const OURS = 'cdk8s-imagestreams';

/** A stream the app defines, by `namespace/name` (namespace '' in a Template: the construct's). */
export interface StreamVar {
  readonly variable: string;
  /** Tags a build pushes to. */
  readonly outputTags: Set<string>;
}

/**
 * One scope of generated statements: a chart of `main.ts` (one per namespace) or the body of a
 * Template's construct class.
 */
export class Unit {
  readonly statements: string[] = [];
  readonly ids = new NameScope();
  readonly streams = new Map<string, StreamVar>();
  /** Services the app defines as cdk8s-plus Services: `namespace/name` → variable and ports. */
  readonly services = new Map<string, { variable: string; ports: readonly { port: number; name?: string; targetPort?: number | string }[] }>();
  /** Uses `const ns = Chart.of(this).namespace` (Templates). */
  usesNamespace = false;

  constructor(
    readonly imports: Imports,
    /** The scope expression constructs are added to: a chart variable, or `this`. */
    readonly scope: string,
    /** The namespace of the chart; undefined in a Template (the chart's namespace at run time). */
    readonly namespace: string | undefined,
    /** Variable names: shared by the charts of main.ts (one scope), one per Template class. */
    readonly vars: NameScope,
    readonly params?: ParamNames,
  ) {}

  /** The key of an object's namespace in `streams` and `services`. */
  namespaceKey(namespace: string | undefined): string {
    return namespace ?? this.namespace ?? '';
  }

  /** The namespace as an expression: a literal, or the Template's chart namespace. */
  namespaceExpr(namespace: string | undefined): string {
    if (namespace !== undefined) return str(namespace, this.params);
    if (this.namespace !== undefined) return str(this.namespace);
    this.usesNamespace = true;
    return 'ns';
  }

  add(...lines: string[]): void {
    this.statements.push(...lines);
  }
}

/**
 * The conversion of one input object: reads its fields (marking them converted), collects the
 * TODO(convert) findings, and at the end reports every field that nothing read.
 */
export class ObjectCtx {
  private readonly taken = new Set<string>();
  readonly todos: string[] = [];

  constructor(readonly unit: Unit, readonly input: InputObject, private readonly report: Report) {}

  get object(): KubeLike {
    return this.input.object;
  }

  get kind(): string {
    return this.object.kind;
  }

  /** The object's name (with parameter markers). */
  get name(): string {
    return this.object.metadata?.name ?? '';
  }

  get ref(): string {
    return `${this.kind}/${plain(this.name)}`;
  }

  get params(): ParamNames | undefined {
    return this.unit.params;
  }

  /** The value at `path` (dots and [i]), marking it and everything under it converted. */
  take<T = unknown>(path: string): T | undefined {
    this.taken.add(path);
    return this.peek<T>(path);
  }

  /** The value at `path`, without marking it. */
  peek<T = unknown>(path: string): T | undefined {
    let value: unknown = this.object;
    for (const part of splitPath(path)) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value as T | undefined;
  }

  /** Whether `path` needs nothing more: read already, or a server-set field. */
  isHandled(path: string): boolean {
    return this.isTaken(path) || isServerSet(this.kind, path, this.peek(path));
  }

  /** Reports `path` as a field without an equivalent, and marks it handled. */
  todo(path: string, why: string): void {
    this.taken.add(path);
    this.report.findings.push({ file: this.input.file, object: this.ref, field: plain(path), why });
    this.todos.push(`// TODO(convert): ${plain(path)}: ${why}`);
  }

  /** A note in the code that is not a dropped field. */
  note(text: string): void {
    this.todos.push(`// ${text}`);
  }

  str(value: string): string {
    return str(value, this.params);
  }

  /** For optional props: a value made of parameters may be empty, which means "not set". */
  optStr(value: string): string {
    return hasParameters(value) && this.params ? `${str(value, this.params)} || undefined` : str(value, this.params);
  }

  num(value: unknown): string {
    return num(value, this.params);
  }

  bool(value: unknown): string {
    return bool(value, this.params);
  }

  lit(value: unknown, indent = ''): string {
    return literal(value, this.params, indent);
  }

  /** Reports each leaf that no conversion read: nothing is dropped silently. Server-set fields are counted, not reported. */
  finish(): void {
    this.walk(this.object, '');
    this.report.countObject(this.kind);
  }

  private walk(value: unknown, path: string): void {
    if (path !== '' && this.isTaken(path)) return;
    if (path !== '' && isServerSet(this.kind, path, value)) {
      this.report.ignore(path);
      return;
    }
    // null, {} and [] say nothing.
    if (value === null || (typeof value === 'object' && Object.keys(value).length === 0)) return;
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) this.walk(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      return;
    }
    if (path === 'apiVersion' || path === 'kind') return;
    this.todo(path, 'not converted: no equivalent in cdk8s-imagestreams or cdk8s-plus');
  }

  private isTaken(path: string): boolean {
    for (let p = path; p !== ''; p = parentPath(p)) if (this.taken.has(p)) return true;
    return false;
  }
}

export function splitPath(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
}

function parentPath(path: string): string {
  const bracket = path.lastIndexOf('[');
  const dot = path.lastIndexOf('.');
  return path.slice(0, Math.max(bracket, dot, 0));
}
