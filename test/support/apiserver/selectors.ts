/** Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors, as list/watch use them. */
import { badRequest } from './errors';
import { KubeObject } from './types';

type Requirement =
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string };

export type Matcher = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(term: string): Requirement {
  let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) return { op: m[2] as 'in' | 'notin', key: m[1], values: m[3].split(',').map((v) => v.trim()) };
  m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
  if (m) return { op: m[2] === '!=' ? 'notin' : 'in', key: m[1], values: [m[3]] };
  m = /^!\s*([^\s!=(),]+)$/.exec(term);
  if (m) return { op: '!', key: m[1] };
  if (/^[^\s!=(),]+$/.test(term)) return { op: 'exists', key: term };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

function matches(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'in':
      return has && req.values.includes(labels[req.key]);
    case 'notin':
      return !has || !req.values.includes(labels[req.key]);
  }
}

export function labelSelector(text: string | null): Matcher {
  if (!text) return () => true;
  const reqs = splitTopLevel(text).map(parseRequirement);
  return (obj) => reqs.every((r) => matches(r, obj.metadata.labels ?? {}));
}

const FIELD_GETTERS: Record<string, (o: KubeObject) => string> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/** Field selectors: metadata.name and metadata.namespace with =, == and !=. */
export function fieldSelector(text: string | null): Matcher {
  if (!text) return () => true;
  const tests = splitTopLevel(text).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const getter = FIELD_GETTERS[m[1].trim()];
    if (!getter) throw badRequest(`field label not supported: ${m[1].trim()}`);
    const want = m[3].trim();
    return m[2] === '!=' ? (o: KubeObject) => getter(o) !== want : (o: KubeObject) => getter(o) === want;
  });
  return (obj) => tests.every((t) => t(obj));
}

/** metadata.name=X in a field selector: lets a list/watch go straight to one object. */
export function selectedName(text: string | null): string | undefined {
  if (!text) return undefined;
  const m = /(?:^|,)\s*metadata\.name\s*==?\s*([^,\s]+)/.exec(text);
  return m?.[1];
}
