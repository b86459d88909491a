import type { TagEvent, TagSpec } from '../../api/imagestream';
import type { ResourceClient } from '../../runtime/kube/client';
import type { StreamObject } from '../../runtime/imagestreams/streams';
import { writeStatus, type StatusWriteOptions } from '../../runtime/imagestreams/write-status';
import { StreamTagError } from './errors';
import { history, prependItem, specTag } from './history';
import { withTag, writeSpecTags, type SpecWriteOptions } from './write-spec';

export interface RollbackOptions {
  readonly stream: string;
  readonly tag: string;
  /** How many items back from the newest: 1 is the previous image. */
  readonly steps: number;
  /** @default - the system clock */
  readonly now?: () => Date;
  readonly write?: SpecWriteOptions & StatusWriteOptions;
}

export interface RollbackReport {
  /** The newest item before the rollback. */
  readonly from: TagEvent;
  /** The item rolled back to (its copy, created now, is the newest item). */
  readonly to: TagEvent;
  /** Whether the tag was paused before (by an earlier rollback). */
  readonly wasPaused: boolean;
  /** False when the chosen image was the newest already (nothing was added). */
  readonly moved: boolean;
}

/**
 * Pauses the tag (so imports that race or follow can't move it back), then puts a copy of the item
 * `steps` back in front of its history. Nothing is deleted: the history shows the rollback.
 */
export async function rollbackTag(streams: ResourceClient<StreamObject>, options: RollbackOptions): Promise<RollbackReport> {
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new Error(`steps must be a positive integer, not ${options.steps}`);
  const paused = await writeSpecTags(streams, options.stream, (fresh) => {
    const tag = specTag(fresh, options.tag);
    pickItem(fresh, options);
    return { tags: tag.importPolicy?.paused ? undefined : withTag(fresh.spec.tags, withPaused(tag, true)), result: tag.importPolicy?.paused === true };
  }, options.write);
  // Chosen from what the pause was written over: once paused, imports no longer add items before it.
  const { from, to } = pickItem(paused.object, options);
  const at = (options.now ?? (() => new Date()))().toISOString();
  const written = await writeStatus(streams, options.stream, (fresh) => prependItem(fresh, options.tag, to, at), options.write);
  return { from, to, wasPaused: paused.computed, moved: written.computed.moved };
}

/** Unpauses the tag; resolves to whether it was paused. */
export async function clearRollback(streams: ResourceClient<StreamObject>, options: Pick<RollbackOptions, 'stream' | 'tag' | 'write'>): Promise<boolean> {
  const written = await writeSpecTags(streams, options.stream, (fresh) => {
    const tag = specTag(fresh, options.tag);
    const wasPaused = tag.importPolicy?.paused === true;
    return { tags: wasPaused ? withTag(fresh.spec.tags, withPaused(tag, false)) : undefined, result: wasPaused };
  }, options.write);
  return written.computed;
}

function pickItem(stream: StreamObject, options: Pick<RollbackOptions, 'tag' | 'steps'>): { from: TagEvent; to: TagEvent } {
  const items = history(stream, options.tag);
  const name = `${stream.metadata.name}:${options.tag}`;
  if (items.length < 2) throw new StreamTagError(`"${name}" has no earlier image to roll back to (${items.length === 0 ? 'no history' : 'one history item'})`);
  if (options.steps >= items.length) {
    throw new StreamTagError(`--to ${options.steps}: "${name}" has only ${items.length - 1} earlier image${items.length === 2 ? '' : 's'} (--to 1 to ${items.length - 1})`);
  }
  return { from: items[0], to: items[options.steps] };
}

/** The tag with importPolicy.paused set, or removed (an emptied importPolicy is removed too). */
function withPaused(tag: TagSpec, paused: boolean): TagSpec {
  const { paused: _old, ...policy } = tag.importPolicy ?? {};
  const importPolicy = paused ? { ...policy, paused: true } : policy;
  const { importPolicy: _policy, ...rest } = tag;
  return Object.keys(importPolicy).length > 0 ? { ...rest, importPolicy } : rest;
}
