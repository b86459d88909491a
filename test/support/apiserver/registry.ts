/** Which resources are served: the built-ins plus one entry per established CRD. */
import { builtinResourceTypes } from './builtins';
import { ResourceType, resourceKey } from './types';

export class ResourceRegistry {
  private readonly byKey = new Map<string, ResourceType>();
  /** Bumped on every change so discovery clients can tell (kept for debugging). */
  generation = 0;

  constructor() {
    for (const t of builtinResourceTypes()) this.byKey.set(resourceKey(t), t);
  }

  all(): ResourceType[] {
    return [...this.byKey.values()];
  }

  get(key: string): ResourceType | undefined {
    return this.byKey.get(key);
  }

  /** The type served at /apis/{group}/{version}/{plural} (or /api/v1/{plural} for group ''). */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.byKey.get(resourceKey({ group, plural }));
    return t && t.versions.includes(version) ? t : undefined;
  }

  /** group -> versions, in registration order (preferred version first). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.byKey.values()) {
      const versions = out.get(t.group) ?? [];
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
      out.set(t.group, versions);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.versions.includes(version));
  }

  put(t: ResourceType): void {
    this.byKey.set(resourceKey(t), t);
    this.generation++;
  }

  remove(key: string): void {
    this.byKey.delete(key);
    this.generation++;
  }
}
