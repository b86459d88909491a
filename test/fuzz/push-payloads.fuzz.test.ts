/**
 * Fuzzing with fast-check (10,000 cases a property) of the push-notification payload parsers: anyone
 * who can reach the receiver sends them bytes, and a sender that authenticates may still send any
 * shape. Each parser returns events that name a valid repository and tag, or throws a PayloadError
 * — never a TypeError — whether given arbitrary text or its own sender's payload with fields
 * replaced, removed or retyped. And the receiver answers every delivery with a status it documents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPathComponent } from '../../lib/api/image-reference';
import { isTagName } from '../../lib/api/names';
import { RECEIVER_TYPES, type ReceiverType } from '../../lib/api/receiver';
import { silentLogger } from '../../lib/runtime/machinery/logger';
import { PARSERS, PayloadError, type PushEvent } from '../../lib/runtime/receiver/payloads';
import { PushReceiver } from '../../lib/runtime/receiver/push-receiver';
import { fixture } from '../runtime/receiver/fixtures';

const RUNS = { numRuns: 10_000 };

const FIXTURES: Record<ReceiverType, string[]> = {
  Distribution: ['distribution-push.json'],
  DockerHub: ['dockerhub-push.json'],
  Harbor: ['harbor-push.json', 'harbor-push-cloudevents.json'],
  Quay: ['quay-push.json'],
  GHCR: ['ghcr-registry-package.json', 'ghcr-package.json'],
};

const GITHUB_HEADERS = fc.record({
  'x-github-event': fc.oneof(fc.constantFrom('package', 'registry_package', 'ping', 'push'), fc.string()),
  'x-github-delivery': fc.oneof(fc.uuid(), fc.string()),
}, { requiredKeys: [] });

/** Every path (keys and array indexes) of a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

/** A sender's payload with up to four fields replaced by any JSON value, or removed. */
function mutated(name: string): fc.Arbitrary<string> {
  const original = JSON.parse(fixture(name));
  const all = paths(original).filter((p) => p.length > 0);
  const change = fc.record({ path: fc.constantFrom(...all), value: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }) });
  return fc.array(change, { minLength: 1, maxLength: 4 }).map((changes) => {
    const copy = JSON.parse(JSON.stringify(original));
    for (const { path, value } of changes) {
      let parent = copy;
      for (const key of path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? parent[key] : undefined;
      const key = path[path.length - 1];
      // An earlier change may have made the parent an array: its 'length' (distribution's target has one) is not a field.
      if (typeof parent !== 'object' || parent === null || (Array.isArray(parent) && typeof key !== 'number')) continue;
      if (value === undefined) delete parent[key];
      else parent[key] = value;
    }
    return JSON.stringify(copy);
  });
}

const anyText = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: 'binary' }));

/** Returns events that are all well-formed, or throws only a PayloadError. */
function checkTotal(type: ReceiverType, body: string, headers: Record<string, string>): void {
  let events: PushEvent[];
  try {
    events = PARSERS[type](body, headers);
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return;
  }
  expect(Array.isArray(events)).toBe(true);
  for (const event of events) {
    expect(typeof event.id).toBe('string');
    expect(event.repository.split('/').every(isPathComponent)).toBe(true);
    if (event.tag !== undefined) expect(isTagName(event.tag)).toBe(true);
    if (event.at !== undefined) expect(Number.isFinite(event.at)).toBe(true);
  }
}

describe.each(RECEIVER_TYPES)('the %s payload parser', (type) => {
  it('returns well-formed events or a PayloadError for any text', () => {
    fc.assert(fc.property(anyText, GITHUB_HEADERS, (body, headers) => checkTotal(type, body, headers as Record<string, string>)), RUNS);
  });

  it("returns well-formed events or a PayloadError for its own sender's payloads with fields changed", () => {
    const bodies = fc.oneof(...FIXTURES[type].map(mutated));
    const headers = { 'x-github-event': 'registry_package', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };
    fc.assert(fc.property(bodies, fc.constantFrom(headers, { ...headers, 'x-github-event': 'package' }), (body, h) => checkTotal(type, body, h)), RUNS);
  });
});

describe('the receiver', () => {
  it('answers any delivery to any receiver with a documented status, and never throws', async () => {
    const token = '0123456789abcdef0123456789abcdef';
    const receiver = new PushReceiver({
      receiver: (namespace, name) => (RECEIVER_TYPES as readonly string[]).includes(name)
        ? { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'RegistryReceiver', metadata: { name, namespace }, spec: { type: name as ReceiverType, secretRef: { name: 's' } } }
        : undefined,
      streams: () => [],
      tokens: { token: async () => token },
      nudge: () => undefined,
      debounceMs: 0,
      log: silentLogger,
    });
    const delivery = fc.record({
      name: fc.constantFrom(...RECEIVER_TYPES, 'none'),
      pathToken: fc.option(fc.constantFrom(token, 'wrong'), { nil: undefined }),
      authorization: fc.option(fc.constantFrom(`Bearer ${token}`, token, 'Bearer x'), { nil: undefined }),
      body: fc.oneof(anyText, ...Object.values(FIXTURES).flat().map(mutated)),
      headers: GITHUB_HEADERS,
    });
    await fc.assert(fc.asyncProperty(delivery, async ({ name, pathToken, authorization, body, headers }) => {
      const answer = await receiver.deliver({ namespace: 'team', name, pathToken }, { ...headers, ...(authorization ? { authorization } : {}) }, Buffer.from(body));
      expect([200, 202, 400, 401, 404, 409]).toContain(answer.status);
    }), RUNS);
    receiver.close();
  });
});
