/**
 * Secrets the simulator mints and checks, with node:crypto only: API-key strings and their stored
 * form per era, SCRAM-SHA-512 material (RFC 5802 with SHA-512), passwords, TOTP codes, tokens.
 *
 * Iteration counts are deliberately lower than a real NAS (29,000 / 500,000) so tests stay fast;
 * the stored strings carry the count actually used, so they are honest about it.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Internal PBKDF2 rounds for key and password hashes (a real NAS uses 29,000 / 500,000). */
export const HASH_ITERATIONS = 1000;
/** What a 25.x NAS writes (MW@TS-25.10.6:utils/crypto.py:90), and the only count 26.0's upgrade keeps. */
export const NAS_SHA512_ITERATIONS = 500_000;
/**
 * SCRAM iterations for 26.0 keys (a real NAS uses 500,000). 50,000 is the lowest count the
 * official client accepts, so a strict client still works against the simulator.
 */
export const SCRAM_ITERATIONS = 50_000;

export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

export function isKeySecret(secret: string): boolean {
  return /^[A-Za-z0-9]{64}$/.test(secret);
}

/** Splits `"<id>-<secret>"` on the first dash, as the middleware does. */
export function splitKey(key: string): { id: number; secret: string } | undefined {
  const dash = key.indexOf('-');
  if (dash < 1) return undefined;
  const idText = key.slice(0, dash);
  if (!/^\d+$/.test(idText)) return undefined;
  return { id: Number(idText), secret: key.slice(dash + 1) };
}

/** passlib's "adapted base64": standard alphabet with `.` for `+`, no padding. */
function ab64(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '.').replace(/=+$/, '');
}

/** 22.02-24.10: passlib pbkdf2_sha256 string over the 64-character secret. */
export function hashSha256(secret: string): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(secret, salt, HASH_ITERATIONS, 32, 'sha256');
  return `$pbkdf2-sha256$${HASH_ITERATIONS}$${ab64(salt)}$${ab64(hash)}`;
}

/** 25.04-25.10: `$pbkdf2-sha512$<rounds>$<base64(16-char salt)>$<base64(hash)>`. */
export function hashSha512(secret: string, iterations = HASH_ITERATIONS): string {
  const salt = randomAlnum(16);
  const hash = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  return `$pbkdf2-sha512$${iterations}$${Buffer.from(salt).toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a secret against either hash string format. */
export function verifyHash(secret: string, stored: string): boolean {
  const parts = stored.split('$');
  // ['', 'pbkdf2-sha256', rounds, salt, hash]
  if (parts.length !== 5) return false;
  const [, scheme, roundsText, saltText, hashText] = parts as [string, string, string, string, string];
  const rounds = Number(roundsText);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1_000_000) return false;
  let salt: Buffer;
  let expected: Buffer;
  let digest: 'sha256' | 'sha512';
  if (scheme === 'pbkdf2-sha256') {
    salt = Buffer.from(saltText.replace(/\./g, '+'), 'base64');
    expected = Buffer.from(hashText.replace(/\./g, '+'), 'base64');
    digest = 'sha256';
  } else if (scheme === 'pbkdf2-sha512') {
    salt = Buffer.from(saltText, 'base64');
    expected = Buffer.from(hashText, 'base64');
    digest = 'sha512';
  } else {
    return false;
  }
  const actual = pbkdf2Sync(secret, salt, rounds, expected.length, digest);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** 26.0 SCRAM material as stored (base64 strings), plus the client key create/reset return. */
export interface ScramMaterial {
  iterations: number;
  salt: string;
  storedKey: string;
  serverKey: string;
}

export function scramDerive(secret: string, salt: Buffer, iterations: number): { clientKey: Buffer; storedKey: Buffer; serverKey: Buffer } {
  const salted = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  const clientKey = createHmac('sha512', salted).update('Client Key').digest();
  const serverKey = createHmac('sha512', salted).update('Server Key').digest();
  const storedKey = createHash('sha512').update(clientKey).digest();
  return { clientKey, storedKey, serverKey };
}

export function scramMaterial(secret: string, iterations = SCRAM_ITERATIONS): ScramMaterial & { clientKey: string } {
  const salt = randomBytes(16);
  const d = scramDerive(secret, salt, iterations);
  return {
    iterations,
    salt: salt.toString('base64'),
    storedKey: d.storedKey.toString('base64'),
    serverKey: d.serverKey.toString('base64'),
    clientKey: d.clientKey.toString('base64'),
  };
}

export function scramVerifySecret(secret: string, m: ScramMaterial): boolean {
  const d = scramDerive(secret, Buffer.from(m.salt, 'base64'), m.iterations);
  const stored = Buffer.from(m.storedKey, 'base64');
  return stored.length === d.storedKey.length && timingSafeEqual(stored, d.storedKey);
}

export function hmacSha512(key: Buffer, data: string): Buffer {
  return createHmac('sha512', key).update(data).digest();
}

export function sha512(data: Buffer): Buffer {
  return createHash('sha512').update(data).digest();
}

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Password hashes: PBKDF2-SHA512 in the same string format (users never see them). */
export const hashPassword = hashSha512;
export const verifyPassword = verifyHash;

/** 22.02: 64 alphanumerics; 22.12+: `secrets.token_urlsafe(48)` (64 URL-safe characters). */
export function newToken(legacyFormat: boolean): string {
  return legacyFormat ? randomAlnum(64) : randomBytes(48).toString('base64url');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error(`Invalid base32 character "${ch}" in OTP secret`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function randomBase32(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[randomInt(32)];
  return out;
}

/** RFC 6238 TOTP: SHA-1, 30-second steps, 6 digits (TrueNAS defaults). */
export function totp(secretBase32: string, at = Date.now(), stepOffset = 0): string {
  const counter = Math.floor(at / 30_000) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32Decode(secretBase32)).update(msg).digest();
  const o = h[h.length - 1]! & 0x0f;
  const code = (h.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/**
 * guess: accepts the current and the previous 30-second window, so a code read just before a step
 * boundary still works (TrueNAS's `window` setting defaults to 0; tests would otherwise be flaky).
 */
export function verifyTotp(secretBase32: string, code: unknown, at = Date.now()): boolean {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return false;
  return code === totp(secretBase32, at) || code === totp(secretBase32, at, -1);
}
