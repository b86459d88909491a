/**
 * A YAML emitter for Kubernetes manifests: JSON data (maps, lists, strings, numbers, booleans, null)
 * in block style. Written here rather than using the `yaml` package because loading that package
 * costs ~20 ms of a ~250 ms synth, and manifests need none of its features. What it writes is read
 * back identically by YAML 1.1 parsers (kubectl) and YAML 1.2 parsers alike; the tests check that
 * round trip through the `yaml` package for every scalar shape we know to be tricky.
 */
export function emitYaml(value: unknown): string {
  const out: string[] = [];
  emitNode(value, 0, out);
  return out.join('');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function emitNode(value: unknown, indent: number, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push('[]\n');
    value.forEach((item) => emitEntry('- ', item, indent, out));
  } else if (isMap(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return void out.push('{}\n');
    for (const [key, v] of entries) emitEntry(`${isPlainSafe(key) ? key : doubleQuoted(key)}:`, v, indent, out, true);
  } else {
    out.push(`${scalar(value as Json, indent)}\n`);
  }
}

/** `prefix` is `- ` for a list item or `key:` for a map entry. */
function emitEntry(prefix: string, value: unknown, indent: number, out: string[], isKey = false): void {
  const pad = ' '.repeat(indent);
  if (isCollection(value) && !isEmpty(value)) {
    if (isKey) {
      out.push(`${pad}${prefix}\n`);
      emitNode(value, indent + 2, out);
    } else if (Array.isArray(value)) {
      out.push(`${pad}-\n`);
      emitNode(value, indent + 2, out);
    } else {
      // A map in a list starts on the dash's line: `- name: web`.
      const lines: string[] = [];
      emitNode(value, indent + 2, lines);
      const text = lines.join('');
      out.push(`${pad}- ${text.slice(indent + 2)}`);
    }
    return;
  }
  const separator = isKey ? ' ' : '';
  out.push(`${pad}${prefix}${separator}`);
  emitNode(value, indent + 2, out);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCollection(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.values(v as object).every((x) => x === undefined);
}

function scalar(value: Json | undefined, indent: number): string {
  if (value === null || value === undefined) return 'null'; // undefined in a list, as JSON writes it
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to YAML: manifests hold finite numbers only`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`cannot write a ${typeof value} to YAML`);
  if (isPlainSafe(value)) return value;
  if (value.includes('\n') && isBlockSafe(value)) return blockLiteral(value, indent);
  return doubleQuoted(value);
}

/** Words that YAML 1.1 or 1.2 reads as booleans or null. */
const SPECIAL_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<|=)$/;
/** Anything that could be read as a number, a timestamp, .inf/.nan, or a sexagesimal number in 1.1. */
const NUMBER_LIKE = /^[-+]?(?:[0-9]|\.[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)/;
/** Characters that can't start a plain scalar (flow and structure indicators, quotes, tags, anchors …), and `.` (YAML 1.1 readers take a lone `.` for null). */
const BAD_FIRST = /^[-?:,[\]{}#&*!|>'"%@`.\s]/;

function isPlainSafe(s: string): boolean {
  if (s === '' || SPECIAL_WORDS.test(s) || NUMBER_LIKE.test(s) || BAD_FIRST.test(s)) return false;
  if (/\s$/.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  // Only printable characters; no tabs, line breaks, or flow indicators that would matter in flow context.
  return !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(s) && !/[\ud800-\udfff]/.test(s);
}

/** Block literals keep text as is: they can't hold other control characters, or carriage returns. */
function isBlockSafe(s: string): boolean {
  return !/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/.test(s) && !/^\n*$/.test(s);
}

function blockLiteral(s: string, indent: number): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  // A first line that starts with a space needs an explicit indentation indicator.
  const indicator = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = trailing === 0 ? s : s.slice(0, s.length - (chomp === '+' ? 0 : 1));
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((line) => (line === '' ? '' : `${pad}${line}`));
  if (chomp === '+') lines.pop();
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
