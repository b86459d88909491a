import { describe, expect, it } from 'vitest';
import { Controller } from '../../../lib/runtime/machinery/controller';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import type { Reconciler } from '../../../lib/runtime/machinery/reconciler';
import { eventually } from '../controller/eventually';

function recorder(fail: (key: string, attempt: number) => boolean) {
  const calls: string[] = [];
  const givenUp: { key: string; error: string }[] = [];
  const reconciler: Reconciler = {
    name: 'test',
    setup() {},
    async reconcile(key) {
      calls.push(key);
      if (fail(key, calls.filter((k) => k === key).length)) throw new Error(`${key} failed`);
    },
    async giveUp(key, error) {
      givenUp.push({ key, error: (error as Error).message });
    },
  };
  return { reconciler, calls, givenUp };
}

describe('Controller', () => {
  it('gives a key up after maxAttempts failures in a row, and calls giveUp once', async () => {
    // GIVEN a reconciler that always fails 'bad' and never 'good'
    const { reconciler, calls, givenUp } = recorder((key) => key === 'bad');
    const controller = new Controller(reconciler, { maxAttempts: 4, backoff: { baseDelayMs: 1, maxDelayMs: 4 }, log: silentLogger });
    // WHEN both are enqueued
    controller.start();
    controller.enqueue('bad');
    controller.enqueue('good');
    // THEN 'bad' is tried exactly 4 times, then given up; 'good' once
    await eventually(() => expect(givenUp).toEqual([{ key: 'bad', error: 'bad failed' }]));
    await controller.stop();
    expect(calls.filter((k) => k === 'bad')).toHaveLength(4);
    expect(calls.filter((k) => k === 'good')).toHaveLength(1);
  });

  it('retries a failing key until it succeeds', async () => {
    // GIVEN a reconciler that fails 'flaky' twice
    const { reconciler, calls, givenUp } = recorder((_key, attempt) => attempt <= 2);
    const controller = new Controller(reconciler, { maxAttempts: 10, backoff: { baseDelayMs: 1 }, log: silentLogger });
    controller.start();
    // WHEN it is enqueued
    controller.enqueue('flaky');
    // THEN the third attempt succeeds and nothing is given up
    await eventually(() => expect(calls).toEqual(['flaky', 'flaky', 'flaky']));
    await controller.stop();
    expect(givenUp).toEqual([]);
  });

  it('drops keys while stopped', async () => {
    // GIVEN a stopped controller
    const { reconciler, calls } = recorder(() => false);
    const controller = new Controller(reconciler, { log: silentLogger });
    // WHEN a key is enqueued before start
    controller.enqueue('early');
    controller.start();
    controller.enqueue('late');
    // THEN only the key enqueued while running is reconciled
    await eventually(() => expect(calls).toEqual(['late']));
    await controller.stop();
    expect(controller.running).toBe(false);
  });
});
