import { parseAllDocuments } from 'yaml';
import { synthesize, type SynthOptions } from '../../compiler';

/** A synthesized object with the fields the graph reads; the namespace is filled in ('default' when none). */
export interface ObjectManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations?: Record<string, string> };
  readonly spec?: unknown;
}

/** Runs ENTRY through the compiler (bundle, run, validate, render) and reads back what it would write. */
export async function synthesizedObjects(entry: string, options: SynthOptions = {}): Promise<ObjectManifest[]> {
  const { files } = await synthesize(entry, options);
  return [...files.values()].flatMap((text) => parseManifests(text));
}

/** The objects of a multi-document YAML stream (empty documents skipped). */
export function parseManifests(text: string): ObjectManifest[] {
  return parseAllDocuments(text).flatMap((doc) => {
    const value = doc.toJS() as Partial<ObjectManifest> & { metadata?: { name?: string; namespace?: string } } | null;
    if (!value || typeof value !== 'object' || !value.kind || !value.metadata?.name) return [];
    return [{ ...value, metadata: { ...value.metadata, namespace: value.metadata.namespace ?? 'default' } } as ObjectManifest];
  });
}
