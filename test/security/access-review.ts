/**
 * What a ServiceAccount may do, asked of the real authorizer with the SubjectAccessReview API (as
 * the admin), and what its synthesized Roles say it may do, in one notation:
 *
 *   `<where>: <verb> <resource>[.<group>][/<subresource>] [<name>]`
 *
 * e.g. `app: update imagestreams.imagestreams.dev/status base`, `cluster: list namespaces`; `<where>`
 * is a key of the test's namespaces (or `cluster` for cluster-scoped resources).
 */
import type { ClusterClient } from '../support/cluster';

export interface ResourceAttributes {
  readonly namespace?: string;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

/** Parses one line of the notation; `namespaces` maps its `<where>` keys to namespace names. */
export function parseAccess(line: string, namespaces: Readonly<Record<string, string>>): ResourceAttributes {
  const match = /^([a-z-]+): ([a-z]+) ([a-z]+)((?:\.[a-z0-9.-]+)?)((?:\/[a-z]+)?)(?: (\S+))?$/.exec(line);
  if (!match) throw new Error(`not an access line: '${line}' (write '<where>: <verb> <resource>[.<group>][/<subresource>] [<name>]')`);
  const [, where, verb, resource, group, subresource, name] = match;
  if (where !== 'cluster' && !(where in namespaces)) throw new Error(`'${line}': no namespace '${where}' (there are: ${Object.keys(namespaces).join(', ')}, cluster)`);
  return {
    ...(where === 'cluster' ? {} : { namespace: namespaces[where] }),
    verb, resource, group: group.slice(1),
    ...(subresource ? { subresource: subresource.slice(1) } : {}),
    ...(name ? { name } : {}),
  };
}

/** The user and groups of a ServiceAccount's token, as the authenticator reports them. */
export function serviceAccountUser(namespace: string, name: string): { user: string; groups: string[] } {
  return { user: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

/** Whether the real authorizer allows `attributes` to the ServiceAccount (a SubjectAccessReview, as the admin). */
export async function isAllowed(cluster: ClusterClient, account: { namespace: string; name: string }, attributes: ResourceAttributes): Promise<boolean> {
  const review = await cluster.api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { ...serviceAccountUser(account.namespace, account.name), resourceAttributes: attributes } },
  });
  return review.status?.allowed === true;
}

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/** The synthesized Role's rules in the notation, one line per verb, resource and name, sorted. */
export function grantsOf(where: string, role: { readonly [key: string]: unknown }): string[] {
  const rules = (role.rules ?? []) as readonly PolicyRule[];
  const lines = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) {
      for (const full of rule.resources ?? []) {
        const [resource, subresource] = full.split('/');
        const target = `${resource}${group ? `.${group}` : ''}${subresource ? `/${subresource}` : ''}`;
        for (const verb of rule.verbs) {
          for (const name of rule.resourceNames?.length ? rule.resourceNames : [undefined]) lines.add(`${where}: ${verb} ${target}${name ? ` ${name}` : ''}`);
        }
      }
    }
  }
  return [...lines].sort();
}
