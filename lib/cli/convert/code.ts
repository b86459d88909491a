/**
 * TypeScript expressions for values read from OpenShift manifests. Template parameters travel inside
 * strings as markers (`${NAME}` → EMBED_OPEN NAME EMBED_CLOSE, `${{NAME}}` → WHOLE_OPEN NAME
 * WHOLE_CLOSE), and become references to the construct's props where they are printed.
 */

const EMBED_OPEN = '\uE000';
const EMBED_CLOSE = '\uE001';
const WHOLE_OPEN = '\uE002';
const WHOLE_CLOSE = '\uE003';
const MARKER_RE = /[\uE000\uE002]([A-Za-z0-9_]+)[\uE001\uE003]/g;
const WHOLE_RE = /^\uE002([A-Za-z0-9_]+)\uE003$/;

/** A TypeScript expression, printed as is. */
export class Code {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const code = (text: string): Code => new Code(text);

/** How parameters are printed: `p.databaseUser` for DATABASE_USER. */
export interface ParamNames {
  /** The expression of a parameter's value (a string). */
  ref(param: string): string;
  /** The parameter's default value, if it has one. */
  value?(param: string): string | undefined;
}

/** Replaces `${X}` and `${{X}}` in every string of `value` by markers. */
export function markParameters(value: unknown, known: ReadonlySet<string>): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{\{([A-Za-z0-9_]+)\}\}/g, (all, name: string) => (known.has(name) ? `${WHOLE_OPEN}${name}${WHOLE_CLOSE}` : all))
      .replace(/\$\{([A-Za-z0-9_]+)\}/g, (all, name: string) => (known.has(name) ? `${EMBED_OPEN}${name}${EMBED_CLOSE}` : all));
  }
  if (Array.isArray(value)) return value.map((v) => markParameters(v, known));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [markParameters(k, known) as string, markParameters(v, known)]));
  return value;
}

export const hasParameters = (text: string): boolean => text.search(MARKER_RE) >= 0;

/** The parameter names a string refers to. */
export function parametersIn(text: string): string[] {
  return [...text.matchAll(MARKER_RE)].map((m) => m[1]);
}

/** `text` with each parameter written as `${NAME}` again, for comments and messages. */
export function plain(text: string): string {
  return text.replace(/\uE000([A-Za-z0-9_]+)\uE001/g, '${$1}').replace(/\uE002([A-Za-z0-9_]+)\uE003/g, '${{$1}}');
}

/** `text` with each parameter replaced by its name, for identifiers and construct ids. */
export function withParameterNames(text: string): string {
  return text.replace(MARKER_RE, '$1');
}

/** A string literal, or a template literal when it holds parameters. */
export function str(text: string, params?: ParamNames): string {
  if (!hasParameters(text) || !params) return quote(plain(text));
  const whole = WHOLE_RE.exec(text) ?? /^\uE000([A-Za-z0-9_]+)\uE001$/.exec(text);
  if (whole) return params.ref(whole[1]);
  let out = '`';
  let last = 0;
  for (const m of text.matchAll(MARKER_RE)) {
    out += escapeTemplate(text.slice(last, m.index));
    out += `\${${params.ref(m[1])}}`;
    last = m.index! + m[0].length;
  }
  return `${out}${escapeTemplate(text.slice(last))}\``;
}

/** A number: a literal, or `Number(p.x)` for a parameter. */
export function num(value: unknown, params?: ParamNames): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && hasParameters(value) && params) return `Number(${str(value, params)})`;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return String(Number(value));
  throw new Error(`not a number: ${JSON.stringify(value)}`);
}

/** A boolean: a literal, or `p.x === 'true'` for a parameter. */
export function bool(value: unknown, params?: ParamNames): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && hasParameters(value) && params) return `${str(value, params)} === 'true'`;
  return String(value === 'true');
}

/**
 * Any JSON value as a TypeScript literal; strings with parameters become template literals, and a
 * whole-value parameter (`${{X}}`) becomes `JSON.parse(p.x)`, as OpenShift substitutes it unquoted.
 */
export function literal(value: unknown, params?: ParamNames, indent = ''): string {
  if (value instanceof Code) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (params && WHOLE_RE.test(value)) return `JSON.parse(${params.ref(WHOLE_RE.exec(value)![1])})`;
    return str(value, params);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, params, inner));
    const flat = `[${items.join(', ')}]`;
    return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const props = entries.map(([k, v]) => `${propertyName(k, params)}: ${literal(v, params, inner)}`);
  const flat = `{ ${props.join(', ')} }`;
  return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `{\n${props.map((p) => `${inner}${p},`).join('\n')}\n${indent}}`;
}

/** An object key: bare when it is an identifier, quoted otherwise, computed when it holds parameters. */
export function propertyName(key: string, params?: ParamNames): string {
  if (hasParameters(key) && params) return `[${str(key, params)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(plain(key));
}

export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}'`;
}

function escapeTemplate(text: string): string {
  return plain(text).replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public '
  + 'await').split(' '));

/** A camelCase identifier from a name such as `my-app.v2`, never a reserved word. */
export function identifier(name: string, suffix = ''): string {
  const words = withParameterNames(name).split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => (/^[A-Z0-9]+$/.test(w) ? w.toLowerCase() : w));
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  const full = suffix ? `${id}${suffix}` : id;
  return RESERVED.has(full) ? `${full}_` : full;
}

/** A PascalCase class name. */
export function className(name: string): string {
  const id = identifier(name);
  return id.charAt(0).toUpperCase() + id.slice(1).replace(/_$/, '');
}

/** Hands out unique names: `web`, `web2`, … */
export class NameScope {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }
  take(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.used.has(name); i++) name = `${wanted}${i}`;
    this.used.add(name);
    return name;
  }
}
