import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcryptHash, piFractionWords } from '../../../lib/runtime/registry-credentials/bcrypt';

/** Apache's htpasswd (crypt_blowfish) checks `password` against the hash: the reference bcrypt. */
function apacheAccepts(hash: string, password: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'bcrypt-'));
  try {
    writeFileSync(join(dir, 'htpasswd'), `u:${hash}\n`);
    execFileSync('htpasswd', ['-vb', join(dir, 'htpasswd'), 'u', password], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bcrypt', () => {
  it('starts Blowfish from the hex digits of π: the first and last words of the P-array and the S-boxes', () => {
    const words = piFractionWords(18 + 1024);
    expect([words[0], words[1], words[17], words[18], words[1041]].map((w) => w.toString(16).padStart(8, '0')))
      .toEqual(['243f6a88', '85a308d3', '8979fb1b', 'd1310ba6', '3ac372e6']);
  });

  it('makes hashes that Apache\'s htpasswd verifies, for the password only', () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const password of ['', 'a', 'Zm9vYmFy-_0123456789abcdefghijklmnopqrstu', 'ünïcødé', 'x'.repeat(80)]) {
      const hash = bcryptHash(password, 4, salt);
      expect(hash).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
      expect(apacheAccepts(hash, password)).toBe(true);
      expect(apacheAccepts(hash, `${password}!`)).toBe(password.length >= 72);
    }
  });

  it('is deterministic for a salt and refuses costs and salts bcrypt does not define', () => {
    const salt = new Uint8Array(16);
    expect(bcryptHash('p', 5, salt)).toBe(bcryptHash('p', 5, salt));
    expect(bcryptHash('p', 5, salt)).not.toBe(bcryptHash('p', 5, Uint8Array.from({ length: 16 }, () => 1)));
    expect(() => bcryptHash('p', 3, salt)).toThrowError('bcrypt: cost (3) must be a whole number from 4 to 31');
    expect(() => bcryptHash('p', 5, new Uint8Array(8))).toThrowError('bcrypt: the salt must be 16 bytes, not 8');
  });
});
