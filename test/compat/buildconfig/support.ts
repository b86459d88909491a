/**
 * Applying OpenShift BuildConfig manifests to our CRD on the real API server, as users do: only the
 * apiVersion changed, created with strict field validation (`fieldValidation=Strict`, kubectl's
 * default), so a field the CRD doesn't declare fails the request instead of being pruned.
 */
import { expect } from 'vitest';
import { parse } from 'yaml';
import { GROUP_VERSION } from '../../../lib/api/group';
import type { TestKube } from '../../support/kube';

export const OPENSHIFT_API_VERSION = 'build.openshift.io/v1';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> };

/** The BuildConfig of an OpenShift manifest (or of a Template's objects), its apiVersion changed to ours and nothing else. */
export function ours(openshift: string): Manifest {
  const doc = parse(openshift) as Manifest & { objects?: Manifest[] };
  const bc = doc.kind === 'Template' ? (doc.objects ?? []).find((o) => o.kind === 'BuildConfig') : doc;
  if (!bc || bc.kind !== 'BuildConfig') throw new Error('the manifest holds no BuildConfig');
  expect(bc.apiVersion).toBe(OPENSHIFT_API_VERSION);
  return { ...bc, apiVersion: GROUP_VERSION };
}

/** What the server adds to a spec that leaves these out: our CRD's defaults, OpenShift's too. */
export const SERVER_DEFAULTS = { source: {}, runPolicy: 'Serial', successfulBuildsHistoryLimit: 5, failedBuildsHistoryLimit: 5 } as const;

/** The spec as the server should store it: as written, plus the defaults of the fields left out. */
export function written(openshift: string): Record<string, unknown> {
  return { ...SERVER_DEFAULTS, ...ours(openshift).spec };
}

export interface Created {
  readonly status: number;
  readonly body: {
    spec?: Record<string, unknown>;
    message?: string;
    details?: { causes?: { field?: string; message: string; reason?: string }[] };
  };
}

function path(kube: TestKube, name = ''): string {
  return `/apis/${GROUP_VERSION}/namespaces/${kube.namespace}/buildconfigs${name ? `/${name}` : ''}`;
}

/** POSTs the BuildConfig with strict field validation. */
export function create(kube: TestKube, manifest: Manifest): Promise<Created> {
  return kube.cluster.request('POST', `${path(kube)}?fieldValidation=Strict&fieldManager=compat-tests`, { body: manifest });
}

/** Creates it, expects success, and reads it back. */
export async function createAndRead(kube: TestKube, openshift: string): Promise<{ created: Record<string, unknown>; read: Record<string, unknown> }> {
  const manifest = ours(openshift);
  const res = await create(kube, manifest);
  expect(res.body.message ?? '').toBe('');
  expect(res.status).toBe(201);
  const read = await kube.cluster.api('GET', path(kube, manifest.metadata.name));
  return { created: res.body.spec ?? {}, read: read.spec };
}

/** The causes of a refusal, each as `field: message`. */
export async function refusal(kube: TestKube, openshift: string): Promise<string[]> {
  const res = await create(kube, ours(openshift));
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  return (res.body.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
}
