/**
 * Who may use an ImageStream from another namespace. A namespace is a tenant boundary: only the
 * stream's own namespace may read it (builds FROM it, triggers and aliases following it) or write it
 * (a build's output), unless the stream grants access — OpenShift asks for the roles
 * `system:image-puller` / `system:image-pusher` bound in the stream's namespace; here the grant is a
 * field of the stream itself, so it lives where its owner decides, and the controller (which does
 * the reading and writing with its own ServiceAccount) checks it before every cross-namespace use.
 * Push implies Pull.
 */
export type StreamAccess = 'Pull' | 'Push';

export interface StreamGrant {
  /** A namespace allowed to use the stream. */
  readonly namespace: string;
  /** Pull: read its tags; Push: also record builds into them. */
  readonly access: StreamAccess;
}

/** The part of a stream a grant check reads. */
export interface GrantingStream {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: { readonly grants?: readonly StreamGrant[] };
}

/** Whether objects in `from` may use the stream with `access`. */
export function mayAccess(stream: GrantingStream, from: string, access: StreamAccess): boolean {
  if ((stream.metadata.namespace ?? '') === from) return true;
  return (stream.spec?.grants ?? []).some((g) => g.namespace === from && (g.access === 'Push' || access === 'Pull'));
}

/** Why a use is refused, and how the stream's owner would allow it. */
export function accessDeniedMessage(stream: GrantingStream, from: string, access: StreamAccess): string {
  const name = `${stream.metadata.namespace}/${stream.metadata.name}`;
  const verb = access === 'Push' ? 'push to' : 'pull from';
  return `namespace '${from}' may not ${verb} ImageStream '${name}': it grants ${access} to namespaces it lists in spec.grants (the stream's owner adds { namespace: '${from}', access: '${access}' }, or stream.allow${access}('${from}') in the constructs)`;
}
