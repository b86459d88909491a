import type { Imports } from './model';
import { CDK8S } from './model';

/**
 * cdk8s-plus resources from Kubernetes quantities, where cdk8s-plus writes back the same amount:
 * CPU in cores or millicores, memory in binary units (it writes Mi). Anything else is undefined,
 * and the caller keeps the field as written.
 */
export function cpuExpr(quantity: unknown, imports: Imports): string | undefined {
  const text = String(quantity);
  const milli = /^(\d+)m$/.exec(text);
  if (milli) return `${imports.plus('Cpu')}.millis(${Number(milli[1])})`;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const millis = Math.round(Number(text) * 1000);
    return Number.isInteger(Number(text)) ? `${imports.plus('Cpu')}.units(${Number(text)})` : `${imports.plus('Cpu')}.millis(${millis})`;
  }
  return undefined;
}

const BINARY: Record<string, [string, number]> = { Ki: ['kibibytes', 1 / 1024], Mi: ['mebibytes', 1], Gi: ['gibibytes', 1024], Ti: ['tebibytes', 1024 * 1024] };

export function memoryExpr(quantity: unknown, imports: Imports): string | undefined {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(String(quantity));
  if (!m) return undefined;
  const [method, mebibytes] = BINARY[m[2]];
  // cdk8s-plus writes whole mebibytes: a Ki amount that isn't one would be rounded.
  if (!Number.isInteger(Number(m[1]) * mebibytes)) return undefined;
  imports.add(CDK8S, 'Size');
  return `Size.${method}(${Number(m[1])})`;
}

/** `{ cpu: { request, limit }, memory: { request, limit } }` for cdk8s-plus, or undefined when a quantity has no exact form. */
export function resourcesExpr(resources: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined, imports: Imports): string | undefined {
  const limits = resources?.limits ?? {};
  const requests = resources?.requests ?? {};
  const names = new Set([...Object.keys(limits), ...Object.keys(requests)]);
  if ([...names].some((n) => n !== 'cpu' && n !== 'memory')) return undefined;
  const parts: string[] = [];
  for (const [name, make] of [['cpu', cpuExpr], ['memory', memoryExpr]] as const) {
    if (!names.has(name)) continue;
    const inner: string[] = [];
    for (const [key, from] of [['request', requests], ['limit', limits]] as const) {
      if (from[name] === undefined) continue;
      const e = make(from[name], imports);
      if (!e) return undefined;
      inner.push(`${key}: ${e}`);
    }
    parts.push(`${name}: { ${inner.join(', ')} }`);
  }
  return `{ ${parts.join(', ')} }`;
}
