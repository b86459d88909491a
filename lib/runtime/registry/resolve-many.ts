import { RegistryError } from './errors';
import { ResolveOptions } from './options';
import { resolveImage, ResolvedImage } from './resolve';

/** A reference, optionally with options that override the shared ones (e.g. per-tag importMode). */
export type ResolveRequest = string | { readonly reference: string; readonly options?: ResolveOptions };

export type ResolveOutcome =
  | { readonly reference: string; readonly ok: true; readonly image: ResolvedImage }
  | { readonly reference: string; readonly ok: false; readonly error: RegistryError };

export interface ResolveManyOptions extends ResolveOptions {
  /** Resolutions in flight at once. @default 8 */
  readonly concurrency?: number;
}

/**
 * Resolves many references, at most `concurrency` at a time, and reports each outcome in input
 * order: one failing tag must not stop an import of the others. Errors that are not
 * RegistryErrors are bugs and reject the whole call.
 */
export async function resolveMany(requests: readonly ResolveRequest[], options: ResolveManyOptions = {}): Promise<ResolveOutcome[]> {
  const { concurrency = 8, ...shared } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`'concurrency' (${concurrency}) must be a positive integer`);
  }
  const outcomes: ResolveOutcome[] = new Array(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const index = next++;
      outcomes[index] = await resolveOne(requests[index], shared);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return outcomes;
}

async function resolveOne(request: ResolveRequest, shared: ResolveOptions): Promise<ResolveOutcome> {
  const { reference, options } = typeof request === 'string' ? { reference: request, options: undefined } : request;
  try {
    return { reference, ok: true, image: await resolveImage(reference, { ...shared, ...options }) };
  } catch (error) {
    if (RegistryError.isRegistryError(error)) return { reference, ok: false, error };
    throw error;
  }
}
