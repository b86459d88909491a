import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../lib/runtime/machinery/work-queue';

describe('WorkQueue', () => {
  it('hands out a key added many times once', async () => {
    // GIVEN a queue with 'a' added three times and 'b' once
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('a');
    // THEN it holds two keys, in the order first added
    expect(queue.length).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.length).toBe(0);
  });

  it('does not hand out a key in flight, and queues it again when done if it was re-added', async () => {
    // GIVEN 'a' being processed
    const queue = new WorkQueue();
    queue.add('a');
    const key = await queue.get();
    // WHEN 'a' is added again while in flight
    queue.add('a');
    // THEN no second worker gets it meanwhile
    expect(queue.length).toBe(0);
    // WHEN the first processing ends
    queue.done(key!);
    // THEN it is processed again
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    expect(queue.length).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    // GIVEN a worker waiting on an empty queue
    const queue = new WorkQueue();
    const waiting = queue.get();
    // WHEN a key is added
    queue.add('x');
    // THEN the worker gets it
    expect(await waiting).toBe('x');
  });

  it('ends waiting workers on shutdown and drops the waiting keys', async () => {
    // GIVEN a waiting worker, and a second queue with a waiting key
    const queue = new WorkQueue();
    const waiting = queue.get();
    const other = new WorkQueue();
    other.add('k');
    // WHEN both shut down
    queue.shutDown();
    other.shutDown();
    other.add('late');
    // THEN get() resolves undefined
    expect(await waiting).toBeUndefined();
    expect(await other.get()).toBeUndefined();
  });

  it('backs off exponentially per key up to the cap', () => {
    // GIVEN a queue with base 10 ms and cap 50 ms
    const queue = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 50 });
    // WHEN 'a' fails five times and 'b' once
    const delays = [1, 2, 3, 4, 5].map(() => queue.addRateLimited('a'));
    const b = queue.addRateLimited('b');
    queue.shutDown();
    // THEN 'a' doubles to the cap, 'b' starts from the base, and attempts are counted per key
    expect(delays).toEqual([10, 20, 40, 50, 50]);
    expect(b).toBe(10);
    expect(queue.attempts('a')).toBe(5);
    // WHEN 'a' is forgotten THEN its back-off starts over
    queue.forget('a');
    expect(queue.attempts('a')).toBe(0);
  });

  it('adds a rate-limited key after its delay', async () => {
    // GIVEN a key re-added with back-off
    const queue = new WorkQueue({ baseDelayMs: 1 });
    queue.addRateLimited('r');
    // THEN it is not there at once, but comes
    expect(queue.length).toBe(0);
    expect(await queue.get()).toBe('r');
  });
});
