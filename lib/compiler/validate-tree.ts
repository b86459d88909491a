import type { Diagnostic } from './diagnostics';
import type { CdkApp, CdkConstruct } from './cdk8s-types';

/**
 * Runs every `node.addValidation()` of the app once, from the root down, and returns each problem
 * with its construct path. (cdk8s's App runs them all again for every chart it renders, which makes
 * synthesis quadratic.) Validations may add constructs — the System emits its controller and the
 * Namespaces — so those are validated in turn, each once, until a round adds nothing new.
 */
export function validateApp(app: CdkApp): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const validated = new Set<CdkConstruct>();
  let pending = app.node.findAll();
  while (pending.length > 0) {
    for (const construct of pending) {
      validated.add(construct);
      for (const text of construct.node.validate()) problems.push({ text, constructPath: construct.node.path });
    }
    pending = app.node.findAll().filter((c) => !validated.has(c));
  }
  return problems;
}
