import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { SecurityContext, Step, TaskSpec } from '../tekton';
import { memoized } from '../_app-index';

/** A step's effective securityContext: its own, or the Task's stepTemplate's (Tekton's merge). */
function mergeSecurity(task: TaskSpec, step: Step): SecurityContext {
  return step.securityContext ?? task.stepTemplate?.securityContext ?? {};
}

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * Why a step would be refused by Pod Security "restricted" (the checks that our Tasks can fail:
 * root, capabilities, privilege escalation, seccomp). Pod-level settings are not ours to set.
 */
export function restrictedProblems(taskName: string, task: TaskSpec): string[] {
  const problems: string[] = [];
  for (const step of task.steps) {
    const sc: SecurityContext = mergeSecurity(task, step);
    const where = `${taskName} step ${step.name}`;
    if (sc.runAsNonRoot !== true || sc.runAsUser === 0) problems.push(`${where} runs as root`);
    const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`${where} adds ${added.join(', ')}`);
    if (sc.seccompProfile === undefined) problems.push(`${where} sets no seccomp profile`);
  }
  return problems;
}

/** The `enforce` level of the app's own Namespace object named `namespace`, if the app defines it. */
export function enforcedLevel(scope: IConstruct, namespace: string): string | undefined {
  return namespaceObjects(scope).get(namespace)?.metadata.getLabel(ENFORCE_LABEL);
}

/** The app's v1 Namespace objects by name (the first in tree order): one walk of the tree per app. */
function namespaceObjects(scope: IConstruct): ReadonlyMap<string, ApiObject> {
  return memoized(scope, 'namespace-objects', () => {
    const namespaces = new Map<string, ApiObject>();
    for (const c of scope.node.root.node.findAll()) {
      if (ApiObject.isApiObject(c) && c.kind === 'Namespace' && c.apiVersion === 'v1' && !namespaces.has(c.name)) namespaces.set(c.name, c);
    }
    return namespaces;
  });
}

/** The warning for a build whose Tasks need more than its namespace enforces, or undefined. */
export function podSecurityWarning(path: string, namespace: string, level: string | undefined, tasks: Readonly<Record<string, TaskSpec>>): string | undefined {
  if (level !== 'restricted') return undefined;
  const problems = Object.entries(tasks).flatMap(([name, task]) => restrictedProblems(name, task));
  if (problems.length === 0) return undefined;
  return `[${path}] namespace '${namespace}' enforces Pod Security "restricted", but the build's pods need "baseline" (${problems.join('; ')}): `
    + `label the namespace ${ENFORCE_LABEL}=baseline or build in another namespace`;
}
