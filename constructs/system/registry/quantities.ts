import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-27';

/** Kubernetes ResourceRequirements as plain data. */
export interface ResourceRequirements {
  readonly requests?: Record<string, string>;
  readonly limits?: Record<string, string>;
}

const BINARY_UNITS: ReadonlyArray<readonly [string, number]> = [['Ti', 1024 ** 3], ['Gi', 1024 ** 2], ['Mi', 1024], ['Ki', 1]];

/** A Size as a Kubernetes quantity in the largest binary unit that states it exactly: 20Gi, not 20480Mi. */
export function sizeQuantity(prop: string, size: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib <= 0) {
    throw new Error(`'${prop}' (${kib} KiB) must be a positive whole number of kibibytes, e.g. Size.gibibytes(20)`);
  }
  const [unit, factor] = BINARY_UNITS.find(([, f]) => kib % f === 0)!;
  return `${kib / factor}${unit}`;
}

/** cdk8s-plus ContainerResources as Kubernetes ResourceRequirements (absent fields stay absent). */
export function resourceRequirements(resources: ContainerResources): ResourceRequirements {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (resources.cpu?.request) requests.cpu = resources.cpu.request.amount;
  if (resources.cpu?.limit) limits.cpu = resources.cpu.limit.amount;
  if (resources.memory?.request) requests.memory = sizeQuantity('resources.memory.request', resources.memory.request);
  if (resources.memory?.limit) limits.memory = sizeQuantity('resources.memory.limit', resources.memory.limit);
  const ephemeral = resources.ephemeralStorage;
  if (ephemeral?.request) requests['ephemeral-storage'] = sizeQuantity('resources.ephemeralStorage.request', ephemeral.request);
  if (ephemeral?.limit) limits['ephemeral-storage'] = sizeQuantity('resources.ephemeralStorage.limit', ephemeral.limit);
  return {
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}
