/**
 * bcrypt (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999), the only hash the CNCF
 * distribution registry's htpasswd accepts. Written here because Node has no bcrypt and the
 * runtime takes no native modules; checked against Apache's htpasswd and the registry itself.
 *
 * Blowfish's initial P-array and S-boxes are the hexadecimal digits of π's fractional part, so
 * they are computed (Machin's formula in BigInt, a few milliseconds) rather than written out.
 */

const P_WORDS = 18;
const S_WORDS = 4 * 256;
/** "OrpheanBeholderScryDoubt", the text bcrypt encrypts 64 times. */
const MAGIC = 'OrpheanBeholderScryDoubt';
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BCRYPT_SALT_BYTES = 16;
/** A password longer than this is cut: bcrypt's key schedule reads at most 72 bytes. */
const MAX_KEY_BYTES = 72;

let piWords: Uint32Array | undefined;

/** The first `count` 32-bit words of π's fractional part (0x243f6a88, 0x85a308d3, …). */
export function piFractionWords(count: number): Uint32Array {
  const bits = BigInt(count * 32);
  const guard = 64n;
  const one = 1n << (bits + guard);
  // π = 16·atan(1/5) − 4·atan(1/239), each term truncated: the guard bits absorb the error.
  const pi = 16n * arctanInverse(5n, one) - 4n * arctanInverse(239n, one);
  const fraction = (pi - 3n * one) >> guard;
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) words[i] = Number((fraction >> (bits - 32n * BigInt(i + 1))) & 0xffffffffn);
  return words;
}

/** atan(1/x) · one, by its Taylor series. */
function arctanInverse(x: bigint, one: bigint): bigint {
  const xx = x * x;
  let power = one / x;
  let sum = power;
  for (let k = 1n; power !== 0n; k++) {
    power /= xx;
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum;
}

interface BlowfishState {
  readonly p: Uint32Array;
  readonly s: Uint32Array;
}

function initialState(): BlowfishState {
  piWords ??= piFractionWords(P_WORDS + S_WORDS);
  return { p: piWords.slice(0, P_WORDS), s: piWords.slice(P_WORDS) };
}

/** Blowfish's round function. */
function f(s: Uint32Array, x: number): number {
  const a = s[x >>> 24];
  const b = s[256 | ((x >>> 16) & 0xff)];
  const c = s[512 | ((x >>> 8) & 0xff)];
  const d = s[768 | (x & 0xff)];
  return ((((a + b) >>> 0) ^ c) + d) >>> 0;
}

/** Encrypts the block held in `block[0..1]` in place. */
function encipher(state: BlowfishState, block: Uint32Array): void {
  const { p, s } = state;
  let l = block[0] ^ p[0];
  let r = block[1];
  for (let i = 1; i < 16; i += 2) {
    r ^= f(s, l >>> 0) ^ p[i];
    l ^= f(s, r >>> 0) ^ p[i + 1];
  }
  block[0] = r ^ p[17];
  block[1] = l;
}

/** Reads 32-bit big-endian words from `data`, cycling, from where the last call stopped. */
class WordStream {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}
  next(): number {
    let word = 0;
    for (let i = 0; i < 4; i++) {
      word = ((word << 8) | this.data[this.at]) >>> 0;
      this.at = (this.at + 1) % this.data.length;
    }
    return word;
  }
}

/** Blowfish's key schedule, with each block xored with the salt first (bcrypt's ExpandKey); no salt: plain. */
function expandKey(state: BlowfishState, key: Uint8Array, salt?: Uint8Array): void {
  const keyWords = new WordStream(key);
  for (let i = 0; i < P_WORDS; i++) state.p[i] ^= keyWords.next();
  const saltWords = salt ? new WordStream(salt) : undefined;
  const block = new Uint32Array(2);
  const refill = (table: Uint32Array, length: number) => {
    for (let i = 0; i < length; i += 2) {
      if (saltWords) {
        block[0] ^= saltWords.next();
        block[1] ^= saltWords.next();
      }
      encipher(state, block);
      table[i] = block[0];
      table[i + 1] = block[1];
    }
  };
  refill(state.p, P_WORDS);
  refill(state.s, S_WORDS);
}

/**
 * `$2b$<cost>$<salt><hash>` of `password`. `cost` is log2 of the key schedule's rounds (4-31); the
 * salt is 16 random bytes.
 */
export function bcryptHash(password: string, cost: number, salt: Uint8Array): string {
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error(`bcrypt: cost (${cost}) must be a whole number from 4 to 31`);
  if (salt.length !== BCRYPT_SALT_BYTES) throw new Error(`bcrypt: the salt must be ${BCRYPT_SALT_BYTES} bytes, not ${salt.length}`);
  const encoded = new TextEncoder().encode(password);
  // The key is the password with its terminating NUL, cut to 72 bytes (a long password loses its NUL).
  const key = new Uint8Array(Math.min(encoded.length + 1, MAX_KEY_BYTES));
  key.set(encoded.subarray(0, key.length));
  const state = initialState();
  expandKey(state, key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    expandKey(state, key);
    expandKey(state, salt);
  }
  const text = new Uint32Array(6);
  for (let i = 0; i < 6; i++) text[i] = new WordStream(new TextEncoder().encode(MAGIC.slice(i * 4, i * 4 + 4))).next();
  const block = new Uint32Array(2);
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < 6; i += 2) {
      block.set(text.subarray(i, i + 2));
      encipher(state, block);
      text.set(block, i);
    }
  }
  const bytes = new Uint8Array(24);
  text.forEach((word, i) => new DataView(bytes.buffer).setUint32(i * 4, word));
  // The hash is the first 23 bytes (the last one was dropped by the original implementation).
  return `$2b$${String(cost).padStart(2, '0')}$${encode64(salt)}${encode64(bytes.subarray(0, 23))}`;
}

/** bcrypt's base64: its own alphabet, no padding. */
function encode64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [b0, b1 = 0, b2 = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const chars = [b0 >>> 2, ((b0 & 3) << 4) | (b1 >>> 4), ((b1 & 0x0f) << 2) | (b2 >>> 6), b2 & 0x3f];
    // 1 byte left → 2 characters, 2 → 3, 3 → 4.
    out += chars.slice(0, Math.min(bytes.length - i, 3) + 1).map((c) => ALPHABET[c]).join('');
  }
  return out;
}
