import type { CustomResourceDefinitionManifest } from './crd-types';
import { imageStreamCrd } from './imagestream';
import { buildConfigCrd } from './buildconfig';
import { receiverCrd } from './receiver';
import { notifierCrd } from './notifier';

/**
 * Every CustomResourceDefinition the System installs. Each kind's folder defines its own; they are
 * listed here, not registered as a side effect of an import, so the set never depends on import order.
 */
export function customResourceDefinitions(): CustomResourceDefinitionManifest[] {
  return [imageStreamCrd(), buildConfigCrd(), receiverCrd(), notifierCrd()];
}
