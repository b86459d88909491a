import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../lib/runtime/receiver/authenticate';

const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const body = Buffer.from('{"action":"published"}');
const signature = (secret: string, b = body) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;

describe('authenticate', () => {
  it('bearer: Authorization "Bearer <token>" (any case of the scheme) or the bare token, nothing else', () => {
    const check = (authorization?: string) => authenticate('bearer', TOKEN, { headers: { authorization }, body });
    expect([check(`Bearer ${TOKEN}`), check(`bearer  ${TOKEN}`), check(TOKEN)]).toEqual([true, true, true]);
    expect([check(), check(''), check(`Bearer ${TOKEN.slice(1)}`), check(`Basic ${TOKEN}`), check(`Bearer ${TOKEN}0`)]).toEqual([false, false, false, false, false]);
  });

  it('hmac-sha256: X-Hub-Signature-256 of exactly this body with the secret', () => {
    const check = (sig?: string, b = body) => authenticate('hmac-sha256', TOKEN, { headers: { 'x-hub-signature-256': sig }, body: b });
    expect(check(signature(TOKEN))).toBe(true);
    expect(check(signature(TOKEN).toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(check(signature(TOKEN), Buffer.from('{"action":"published" }'))).toBe(false);
    expect(check(signature('another secret'))).toBe(false);
    expect(check(signature(TOKEN).replace('sha256=', 'sha1='))).toBe(false);
    expect(check(signature(TOKEN).slice(0, 40))).toBe(false);
    expect(check()).toBe(false);
  });

  it('path: the token as the last path segment', () => {
    expect(authenticate('path', TOKEN, { headers: {}, body, pathToken: TOKEN })).toBe(true);
    expect(authenticate('path', TOKEN, { headers: {}, body, pathToken: TOKEN.toUpperCase() })).toBe(false);
    expect(authenticate('path', TOKEN, { headers: { authorization: `Bearer ${TOKEN}` }, body })).toBe(false);
  });

  it('never accepts anything for an empty token', () => {
    expect(authenticate('bearer', '', { headers: { authorization: 'Bearer ' }, body })).toBe(false);
    expect(authenticate('path', '', { headers: {}, body, pathToken: '' })).toBe(false);
  });
});
