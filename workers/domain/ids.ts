/**
 * Public ids: 48 bits of millisecond time followed by 80 random bits, in Crockford base32
 * (26 chars, ULID layout). They sort by creation time, so indexes stay append-mostly, and
 * they reveal nothing sequential about how many rows exist.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdGenerator = () => string;

/** Random bytes drawn 4 KB at a time: one getRandomValues call per 256 ids instead of one per id. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  if (poolOffset + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let rest = '';
  for (let i = 0; i < 16; i++) rest += ALPHABET[pool[poolOffset + i]! & 31];
  poolOffset += 16;
  return time + rest;
}
