/**
 * Which resource a client talks to. `namespace` undefined means cluster-scoped, or for list and
 * watch of a namespaced resource, all namespaces.
 */
export interface ResourceRef {
  /** `v1` for the core group, else `group/version`, e.g. `imagestreams.dev/v1alpha1`. */
  readonly apiVersion: string;
  /** The plural, lower-case resource name, e.g. `imagestreams`. */
  readonly resource: string;
  readonly namespace?: string;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/group/version/[namespaces/ns/]resource`. */
export function collectionPath(ref: ResourceRef): string {
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(ref.apiVersion)) throw new Error(`'apiVersion' (${ref.apiVersion}) must be 'version' or 'group/version'`);
  if (!/^[a-z0-9-]+$/.test(ref.resource)) throw new Error(`'resource' (${ref.resource}) must be a lower-case plural such as 'imagestreams'`);
  const root = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const scope = ref.namespace ? `/namespaces/${segment(ref.namespace, 'namespace')}` : '';
  return `${root}${scope}/${ref.resource}`;
}

export function objectPath(ref: ResourceRef, name: string, subresource?: 'status'): string {
  const base = `${collectionPath(ref)}/${segment(name, 'name')}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** Appends the defined options as a query string. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function segment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..' || value.includes('/')) {
    throw new Error(`'${what}' (${JSON.stringify(value)}) is not a valid object name`);
  }
  return encodeURIComponent(value);
}
