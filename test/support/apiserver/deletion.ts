/** Deletion: finalizers, preconditions, cascading (background) and Orphan, namespaces and CRDs. */
import { CrdSpec } from './crd';
import { conflict } from './errors';
import { clone } from './json';
import { now } from './managed-fields';
import { gr, Target } from './prepare';
import { ResourceRegistry } from './registry';
import { Store } from './store';
import { CRD_KEY, KubeObject, NAMESPACE_KEY, ResourceType, resourceKey } from './types';

export interface DeleteOptions {
  propagationPolicy?: string;
  preconditionRv?: string;
  preconditionUid?: string;
  dryRun?: boolean;
}

export class Deletion {
  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
  ) {}

  /**
   * DELETE: with finalizers the object only gets a deletionTimestamp; otherwise it goes, and
   * its dependents with it (background) unless the policy is Orphan.
   */
  delete(t: Target, obj: KubeObject, opts: DeleteOptions): KubeObject {
    if (opts.dryRun) return obj;
    if (opts.preconditionRv && opts.preconditionRv !== obj.metadata.resourceVersion) {
      throw conflict(gr(t), t.name ?? '', `Precondition failed: ResourceVersion in precondition: ${opts.preconditionRv}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
    if (opts.preconditionUid && opts.preconditionUid !== obj.metadata.uid) {
      throw conflict(gr(t), t.name ?? '', `Precondition failed: UID in precondition: ${opts.preconditionUid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(obj);
    if ((obj.metadata.finalizers ?? []).length > 0) {
      if (obj.metadata.deletionTimestamp) return obj;
      const marked = clone(obj);
      marked.metadata.deletionTimestamp = now();
      marked.metadata.deletionGracePeriodSeconds = 0;
      marked.metadata.resourceVersion = String(this.store.nextRv());
      this.store.put(resourceKey(t.type), marked, 'MODIFIED');
      return marked;
    }
    const final = clone(obj);
    final.metadata.resourceVersion = String(this.store.nextRv());
    this.removeNow(t.type, final);
    return final;
  }

  removeNow(type: ResourceType, final: KubeObject): void {
    const key = resourceKey(type);
    this.store.remove(key, final);
    if (key === NAMESPACE_KEY) this.emptyNamespace(final.metadata.name ?? '');
    if (key === CRD_KEY) this.unregisterCrd(final);
    this.collectDependents(final.metadata.uid ?? '');
  }

  /** Background cascading deletion: dependents whose owners are all gone are deleted too. */
  private collectDependents(ownerUid: string): void {
    for (const dep of this.store.dependentsOf(ownerUid)) {
      const owners = dep.metadata.ownerReferences ?? [];
      if (owners.some((r) => r.uid !== ownerUid && this.store.locate(r.uid))) continue;
      this.deleteStored(dep);
    }
  }

  /** Deletes the current state of a stored object (it may already be gone through another owner). */
  private deleteStored(obj: KubeObject): void {
    const current = this.store.locate(obj.metadata.uid ?? '');
    const resource = this.store.resourceOf(obj.metadata.uid ?? '');
    const type = resource ? this.registry.get(resource) : undefined;
    if (!current || !type) return;
    this.delete({ type, version: type.versions[0], namespace: current.metadata.namespace ?? '', name: current.metadata.name, part: 'main' }, current, {});
  }

  private orphanDependents(owner: KubeObject): void {
    for (const dep of this.store.dependentsOf(owner.metadata.uid ?? '')) {
      const next = clone(dep);
      next.metadata.ownerReferences = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      const resource = this.store.resourceOf(dep.metadata.uid ?? '') ?? '';
      next.metadata.resourceVersion = String(this.store.nextRv());
      this.store.put(resource, next, 'MODIFIED');
    }
  }

  /** The namespace controller's job, done at once: everything in the namespace goes. */
  private emptyNamespace(ns: string): void {
    for (const type of this.registry.all().filter((x) => x.namespaced)) {
      for (const obj of this.store.list(resourceKey(type), ns)) this.deleteStored(obj);
    }
  }

  private unregisterCrd(crd: KubeObject): void {
    const spec = crd.spec as CrdSpec;
    const type = this.registry.get(resourceKey({ group: spec.group ?? '', plural: spec.names?.plural ?? '' }));
    if (!type) return;
    for (const obj of this.store.list(resourceKey(type))) this.deleteStored(obj);
    this.registry.remove(resourceKey(type));
  }
}
