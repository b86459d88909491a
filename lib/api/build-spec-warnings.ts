/**
 * What a BuildConfig spec says in a form OpenShift itself deprecates: accepted and acted on, with a
 * warning in status (condition Deprecated) that names the field and the form to use instead.
 */
import type { BuildConfigSpec } from './buildconfig';
import { canonicalTriggerType, WEBHOOK_FIELDS } from './build-spec';

export function deprecationWarnings(spec: BuildConfigSpec): string[] {
  const warnings: string[] = [];
  (spec.triggers ?? []).forEach((trigger, i) => {
    const canonical = canonicalTriggerType(trigger.type);
    if (canonical && canonical !== trigger.type) {
      warnings.push(`triggers[${i}].type '${trigger.type}' is a deprecated spelling: write '${canonical}'`);
    }
    const field = canonical ? (WEBHOOK_FIELDS as Record<string, string | undefined>)[canonical] : undefined;
    const webhook = field ? (trigger as unknown as Record<string, { secret?: string } | undefined>)[field] : undefined;
    if (webhook?.secret !== undefined) {
      warnings.push(`triggers[${i}].${field}.secret: an inline webhook secret is deprecated (anyone who can read the BuildConfig can start builds): put it in a Secret under the key WebHookSecretKey and name it with ${field}.secretReference`);
    }
  });
  if (spec.serviceAccount !== undefined && spec.serviceAccountName === undefined) {
    warnings.push("serviceAccount is OpenShift's name: it is read as serviceAccountName, the name to write");
  }
  return warnings;
}
