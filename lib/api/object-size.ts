import type { ImageStreamObject, ImageStreamStatus } from './imagestream';

/**
 * How big an ImageStream may grow. etcd refuses objects over 1.5 MiB (its default request limit), and
 * kube-apiserver answers "etcdserver: request is too large": the stream's status can then never be
 * written again. We keep every stream under 1 MiB, with room for metadata and managedFields.
 */
export const MAX_STREAM_BYTES = 1024 * 1024;

/** The most a history item can take in JSON: a 255-character repository, a digest, a time, a generation. */
export const MAX_HISTORY_ITEM_BYTES = 420;

/** The JSON size of a value, as the API server stores it (close enough: it stores protobuf or JSON). */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** Whether `tags` tags of `historyLimit` items each can exceed the budget (for checks before anything runs). */
export function historyMayOverflow(tags: number, historyLimit: number, specBytes = 0): boolean {
  return specBytes + tags * historyLimit * MAX_HISTORY_ITEM_BYTES > MAX_STREAM_BYTES * 0.8;
}

/**
 * The status with its oldest history items dropped — always from the tag with the longest history,
 * never a tag's newest item — until the whole stream fits in MAX_STREAM_BYTES. Returns it unchanged
 * when it fits.
 */
export function capStatus(stream: ImageStreamObject, status: ImageStreamStatus): ImageStreamStatus {
  const budget = MAX_STREAM_BYTES - jsonBytes({ ...stream, status: undefined });
  let size = jsonBytes(status);
  if (size <= budget) return status;
  const tags = (status.tags ?? []).map((t) => ({ ...t, items: [...(t.items ?? [])] }));
  while (size > budget) {
    const longest = tags.reduce((a, b) => ((b.items.length > a.items.length) ? b : a), tags[0]);
    if (!longest || longest.items.length <= 1) break; // one item per tag is the floor: what runs must stay known
    const dropped = longest.items.pop();
    size -= jsonBytes(dropped) + 1;
  }
  return { ...status, tags };
}
