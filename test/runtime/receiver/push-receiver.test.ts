import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageStreamObject } from '../../../lib/api/imagestream';
import type { ReceiverType, RegistryReceiverObject } from '../../../lib/api/receiver';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { PushReceiver } from '../../../lib/runtime/receiver/push-receiver';
import { ReplayGuard } from '../../../lib/runtime/receiver/replay-guard';
import { TokenUnavailableError } from '../../../lib/runtime/receiver/tokens';
import { edited } from './fixtures';

const TOKEN = 'b5c0f3e1d2a4968778695a4b3c2d1e0f';
const NOW = Date.parse('2025-03-14T09:27:00Z');

const stream = (name: string, tags: Record<string, string>): ImageStreamObject => ({
  apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace: 'team' },
  spec: { tags: Object.entries(tags).map(([tag, from]) => ({ name: tag, from: { kind: 'DockerImage', name: from }, importPolicy: { scheduled: true } })) },
});

/** Streams following each fixture's repository and tag, plus tags that must never be nudged. */
const STREAMS: ImageStreamObject[] = [
  stream('app', { v: 'registry.example.com:5000/team/app:v1.4.2', other: 'registry.example.com:5000/team/app:v1.4.1', pinned: 'registry.example.com:5000/team/app@sha256:' + 'a'.repeat(64) }),
  stream('web', { alpine: 'acme/web:1.27-alpine', elsewhere: 'quay.io/acme/web:1.27-alpine' }),
  stream('nginx', { stable: 'harbor.example.com/platform/nginx:stable' }),
  stream('api', { latest: 'quay.io/acme/api', release: 'quay.io/acme/api:2.3.1' }),
  stream('worker', { edge: 'ghcr.io/octo-org/worker:edge' }),
  { ...stream('stranger', { v: 'registry.example.com:5000/team/app:v1.4.2' }), metadata: { name: 'stranger', namespace: 'other-team' } },
];

const receiverOf = (type: ReceiverType, spec: Partial<RegistryReceiverObject['spec']> = {}): RegistryReceiverObject => ({
  apiVersion: 'imagestreams.dev/v1alpha1', kind: 'RegistryReceiver', metadata: { name: 'hook', namespace: 'team' },
  spec: { type, secretRef: { name: 'hook-token' }, ...spec },
});

function setup(receiver: RegistryReceiverObject | undefined, token: string | Error = TOKEN) {
  const nudges: string[] = [];
  const push = new PushReceiver({
    receiver: (ns, name) => (ns === 'team' && name === 'hook' ? receiver : undefined),
    streams: () => STREAMS,
    tokens: { token: async () => { if (token instanceof Error) throw token; return token; } },
    nudge: (ns, s, tags) => void nudges.push(...tags.map((t) => `${ns}/${s}:${t.tag}`)),
    replay: new ReplayGuard({ now: () => NOW }),
    debounceMs: 0,
    log: silentLogger,
  });
  return { push, nudges };
}

const sign = (body: string, secret = TOKEN) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const route = { namespace: 'team', name: 'hook' };
const pathRoute = (token = TOKEN) => ({ ...route, pathToken: token });
const ghHeaders = (body: string, secret?: string) => ({ 'x-github-event': 'registry_package', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': sign(body, secret) });

/** Each vendor's fixture, its time moved to now, and how its sender authenticates a delivery of it. */
const VENDORS = [
  { type: 'Distribution' as const, body: edited('distribution-push.json', (p) => p.events.forEach((e: any) => (e.timestamp = new Date(NOW).toISOString()))),
    good: (b: string) => ({ route, headers: { authorization: `Bearer ${TOKEN}` } }), forged: (b: string) => ({ route, headers: { authorization: 'Bearer 0123456789abcdef0123456789abcdef' } }),
    nudged: ['team/app:v'] },
  { type: 'DockerHub' as const, body: edited('dockerhub-push.json', (p) => (p.push_data.pushed_at = NOW / 1000)),
    good: () => ({ route: pathRoute(), headers: {} }), forged: () => ({ route: pathRoute('0123456789abcdef0123456789abcdef'), headers: {} }),
    nudged: ['team/web:alpine'] },
  { type: 'Harbor' as const, body: edited('harbor-push.json', (p) => (p.occur_at = NOW / 1000)),
    good: () => ({ route, headers: { authorization: TOKEN } }), forged: () => ({ route, headers: {} }),
    nudged: ['team/nginx:stable'] },
  { type: 'Harbor' as const, body: edited('harbor-push-cloudevents.json', (p) => (p.time = new Date(NOW).toISOString())),
    good: () => ({ route, headers: { authorization: `Bearer ${TOKEN}` } }), forged: () => ({ route, headers: { authorization: `Bearer ${TOKEN}x` } }),
    nudged: ['team/nginx:stable'] },
  { type: 'Quay' as const, body: edited('quay-push.json', () => undefined),
    good: () => ({ route: pathRoute(), headers: {} }), forged: () => ({ route: pathRoute(TOKEN.slice(1)), headers: {} }),
    nudged: ['team/api:latest', 'team/api:release'] },
  { type: 'GHCR' as const, body: edited('ghcr-registry-package.json', (p) => (p.registry_package.package_version.updated_at = new Date(NOW).toISOString())),
    good: (b: string) => ({ route, headers: ghHeaders(b) }), forged: (b: string) => ({ route, headers: ghHeaders(b, 'not-the-secret-at-all') }),
    nudged: ['team/worker:edge'] },
];

describe('PushReceiver', () => {
  describe.each(VENDORS)('$type', ({ type, body, good, forged, nudged }) => {
    it('nudges exactly the stream tags of its namespace that follow the pushed repository and tag', async () => {
      // GIVEN a receiver of this type and a delivery signed or addressed as its sender does
      const { push, nudges } = setup(receiverOf(type));
      const { route: r, headers } = good(body);
      // WHEN it arrives
      const answer = await push.deliver(r, headers, Buffer.from(body));
      // THEN it is accepted, and only the matching tags are imported (never a pinned tag, another repository or namespace)
      expect(answer.status).toBe(202);
      expect(nudges.sort()).toEqual(nudged);
    });

    it('refuses a forged delivery (401) and acts on nothing', async () => {
      const { push, nudges } = setup(receiverOf(type));
      const { route: r, headers } = forged(body);
      expect(await push.deliver(r, headers, Buffer.from(body))).toEqual({ status: 401, body: { error: 'not authenticated' } });
      expect(nudges).toEqual([]);
    });

    it('refuses the same delivery replayed, acting on it once', async () => {
      const { push, nudges } = setup(receiverOf(type));
      const { route: r, headers } = good(body);
      await push.deliver(r, headers, Buffer.from(body));
      const again = await push.deliver(r, headers, Buffer.from(body));
      // A distribution registry retries any refused delivery forever, holding later events behind it: it gets 200
      expect(again.status).toBe(type === 'Distribution' ? 200 : 409);
      expect(again.body).toMatchObject({ fresh: 0, replayed: expect.any(Number), nudged: 0 });
      expect(nudges.sort()).toEqual(nudged);
    });
  });

  it('refuses a signed body changed on the way (GHCR): the signature covers every byte', async () => {
    const { push, nudges } = setup(receiverOf('GHCR'));
    const vendor = VENDORS.find((v) => v.type === 'GHCR')!;
    const { headers } = vendor.good(vendor.body);
    const tampered = vendor.body.replace('"edge"', '"latest"');
    expect((await push.deliver(route, headers, Buffer.from(tampered))).status).toBe(401);
    expect(nudges).toEqual([]);
  });

  it('refuses deliveries older than the receiver window, or from the future, as replays', async () => {
    const { push, nudges } = setup(receiverOf('DockerHub', { maxAgeSeconds: 60 }));
    const old = edited('dockerhub-push.json', (p) => (p.push_data.pushed_at = NOW / 1000 - 61));
    const ahead = edited('dockerhub-push.json', (p) => (p.push_data.pushed_at = NOW / 1000 + 3600));
    expect(await push.deliver(pathRoute(), {}, Buffer.from(old))).toEqual({ status: 409, body: { events: 1, fresh: 0, replayed: 0, stale: 1, nudged: 0 } });
    expect((await push.deliver(pathRoute(), {}, Buffer.from(ahead))).status).toBe(409);
    expect(nudges).toEqual([]);
  });

  it('speaks only for its registries when it lists them, whatever host the event names', async () => {
    // GIVEN a distribution receiver for the host streams import from, while pushers address it as localhost
    const { push, nudges } = setup(receiverOf('Distribution', { registries: ['registry.example.com:5000'] }));
    const body = edited('distribution-push.json', (p) => p.events.forEach((e: any) => ((e.timestamp = new Date(NOW).toISOString()), (e.request.host = 'localhost:5000'))));
    expect((await push.deliver(route, { authorization: `Bearer ${TOKEN}` }, Buffer.from(body))).status).toBe(202);
    expect(nudges).toEqual(['team/app:v']);
    // AND one for another registry nudges nothing of it
    const other = setup(receiverOf('Distribution', { registries: ['elsewhere.example.com'] }));
    expect((await other.push.deliver(route, { authorization: `Bearer ${TOKEN}` }, Buffer.from(body))).status).toBe(200);
    expect(other.nudges).toEqual([]);
  });

  it('nudges only the streams the receiver lists', async () => {
    const { push, nudges } = setup(receiverOf('Quay', { streams: ['web'] }));
    expect(await push.deliver(pathRoute(), {}, Buffer.from(edited('quay-push.json', () => undefined)))).toEqual({ status: 200, body: { events: 2, fresh: 2, replayed: 0, stale: 0, nudged: 0 } });
    expect(nudges).toEqual([]);
  });

  it('answers 404 for an unknown receiver, and for a token in the path of a receiver that authenticates otherwise', async () => {
    const { push } = setup(receiverOf('Distribution'));
    expect((await push.deliver({ namespace: 'team', name: 'nope' }, {}, Buffer.from('{}'))).status).toBe(404);
    expect((await push.deliver(pathRoute(), { authorization: `Bearer ${TOKEN}` }, Buffer.from('{"events":[]}'))).status).toBe(404);
    const hub = setup(receiverOf('DockerHub'));
    expect((await hub.push.deliver(route, {}, Buffer.from('{}'))).status).toBe(404);
  });

  it('answers 503 while its Secret is missing, and 400 for a body its sender would not send', async () => {
    const missing = setup(receiverOf('Harbor'), new TokenUnavailableError('Secret "hook-token" not found in namespace "team"'));
    expect((await missing.push.deliver(route, { authorization: TOKEN }, Buffer.from('{}'))).status).toBe(503);
    const { push } = setup(receiverOf('Harbor'));
    expect(await push.deliver(route, { authorization: TOKEN }, Buffer.from('not json'))).toEqual({ status: 400, body: { error: 'the body is not JSON, as Harbor sends' } });
  });
});
