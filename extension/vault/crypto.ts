/**
 * WebCrypto primitives of the vault: passphrase → keys (PBKDF2-SHA-256, then HKDF to separate a
 * key-encryption key from a passphrase verifier), key wrapping, record sealing (AES-256-GCM with a
 * fresh 96-bit IV and additional data) and blind record ids (HMAC-SHA-256).
 * Works in pages, service workers and Node (global `crypto`); no DOM APIs.
 */
import { copyBytes, randomBytes, toBase64Url, utf8, zero } from './codec.js';
import { KdfPolicyError, VaultInputError } from './errors.js';

const subtle = globalThis.crypto.subtle;

/** The security floor for PBKDF2-SHA-256 (OWASP 2023): stored or requested counts below it are refused. */
export const KDF_FLOOR = 600_000;
/** Iterations used for new vaults, passphrase changes and exports unless told otherwise. */
export const KDF_DEFAULT_ITERATIONS = 600_000;
/** Above this a stored count is treated as damage (it would hang the unlock for minutes). */
export const KDF_CEILING = 10_000_000;
/** The lowest count accepted even with the test-only flag. */
export const KDF_TEST_MINIMUM = 1_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
/** Passphrase bounds, in Unicode code points. */
export const PASSPHRASE_MIN = 8;
export const PASSPHRASE_MAX = 1024;

export interface KdfParams {
  name: 'PBKDF2';
  hash: 'SHA-256';
  iterations: number;
  /** 16 random bytes, one per vault (and per export file). */
  salt: Uint8Array;
}

/** Throws {@link KdfPolicyError} when `iterations` is below the floor (or, in tests, below the test minimum). */
export function enforceKdfFloor(iterations: number, allowWeakForTests: boolean): void {
  const floor = allowWeakForTests ? KDF_TEST_MINIMUM : KDF_FLOOR;
  if (iterations < floor) throw new KdfPolicyError(iterations, floor);
}

/** Validates an iteration count a caller asks for (not a stored one). */
export function requestedIterations(value: number | undefined, allowWeakForTests: boolean): number {
  const iterations = value ?? KDF_DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations > KDF_CEILING) {
    throw new VaultInputError('kdfIterations', `The iteration count must be a whole number up to ${KDF_CEILING}.`);
  }
  enforceKdfFloor(iterations, allowWeakForTests);
  return iterations;
}

export function newKdfParams(iterations: number): KdfParams {
  return { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: randomBytes(SALT_BYTES) };
}

/** Checks a passphrase's shape and returns it as NFC-normalised UTF-8 bytes (the caller zeroes them). */
export function passphraseBytes(passphrase: unknown, field = 'passphrase'): Uint8Array<ArrayBuffer> {
  if (typeof passphrase !== 'string') throw new VaultInputError(field, 'The passphrase must be text.');
  const normalized = passphrase.normalize('NFC');
  const length = [...normalized].length;
  if (length === 0) throw new VaultInputError(field, 'Enter a passphrase.');
  if (length < PASSPHRASE_MIN) throw new VaultInputError(field, `The passphrase is too short: use at least ${PASSPHRASE_MIN} characters.`);
  if (length > PASSPHRASE_MAX) throw new VaultInputError(field, `The passphrase is too long: use at most ${PASSPHRASE_MAX} characters.`);
  return utf8(normalized);
}

/** What a passphrase derives: a key for one purpose and a verifier that tells a wrong passphrase from damage. */
export interface PassphraseKeys {
  /** `vault`: AES-GCM key that wraps/unwraps the data key. `export`: AES-GCM key that seals the export payload. */
  key: CryptoKey;
  /** 32 bytes stored beside the KDF parameters; equal only for the right passphrase. */
  verifier: Uint8Array<ArrayBuffer>;
}

/**
 * Runs the KDF once (PBKDF2, the expensive part) and splits its output with HKDF into a key and a
 * verifier, so checking the passphrase costs no second PBKDF2 run.
 */
export async function derivePassphraseKeys(passphrase: string, kdf: KdfParams, purpose: 'vault' | 'export'): Promise<PassphraseKeys> {
  const pw = passphraseBytes(passphrase);
  let bits: Uint8Array<ArrayBuffer> | undefined;
  try {
    const base = await subtle.importKey('raw', pw, 'PBKDF2', false, ['deriveBits']);
    bits = new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: copyBytes(kdf.salt), iterations: kdf.iterations }, base, 256));
    const master = await subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey', 'deriveBits']);
    const hkdf = (info: string): HkdfParams => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(`nas-key-vault ${purpose} ${info}`) });
    const usages: KeyUsage[] = purpose === 'vault' ? ['wrapKey', 'unwrapKey'] : ['encrypt', 'decrypt'];
    const key = await subtle.deriveKey(hkdf('key'), master, { name: 'AES-GCM', length: 256 }, false, usages);
    const verifier = new Uint8Array(await subtle.deriveBits(hkdf('verifier'), master, 256));
    return { key, verifier };
  } finally {
    zero(pw);
    zero(bits);
  }
}

/** A fresh random data key (AES-256-GCM). Extractable only so it can be wrapped; use copies from {@link unwrapDataKey}. */
export function newDataKey(): Promise<CryptoKey> {
  return subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

/** A fresh random index key (HMAC-SHA-256, 256 bits) for blind record ids. */
export function newIndexKey(): Promise<CryptoKey> {
  return subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']);
}

export interface Wrapped {
  iv: Uint8Array;
  wrapped: Uint8Array;
}

/** Wraps `key` (raw) under `kek` with AES-GCM; `aad` names the key's role so wrapped keys cannot be swapped. */
export async function wrapKey(key: CryptoKey, kek: CryptoKey, aad: string): Promise<Wrapped> {
  const iv = randomBytes(IV_BYTES);
  const wrapped = new Uint8Array(await subtle.wrapKey('raw', key, kek, { name: 'AES-GCM', iv, additionalData: utf8(aad) }));
  return { iv, wrapped };
}

/** Unwraps a data key. Rejects (OperationError) if the wrapped bytes, IV or `aad` do not match. */
export function unwrapDataKey(w: Wrapped, kek: CryptoKey, aad: string, extractable = false): Promise<CryptoKey> {
  return subtle.unwrapKey('raw', copyBytes(w.wrapped), kek, { name: 'AES-GCM', iv: copyBytes(w.iv), additionalData: utf8(aad) }, { name: 'AES-GCM', length: 256 }, extractable, ['encrypt', 'decrypt']);
}

/** Unwraps an index key (see {@link unwrapDataKey}). */
export function unwrapIndexKey(w: Wrapped, kek: CryptoKey, aad: string, extractable = false): Promise<CryptoKey> {
  return subtle.unwrapKey('raw', copyBytes(w.wrapped), kek, { name: 'AES-GCM', iv: copyBytes(w.iv), additionalData: utf8(aad) }, { name: 'HMAC', hash: 'SHA-256', length: 256 }, extractable, ['sign']);
}

/** A sealed (encrypted and authenticated) value. */
export interface Sealed {
  iv: Uint8Array;
  ct: Uint8Array;
}

/** Encrypts a JSON value with a fresh IV; the plaintext bytes are zeroed afterwards. */
export async function sealJson(key: CryptoKey, value: unknown, aad: string): Promise<Sealed> {
  const plain = utf8(JSON.stringify(value));
  try {
    const iv = randomBytes(IV_BYTES);
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(aad) }, key, plain));
    return { iv, ct };
  } finally {
    zero(plain);
  }
}

/** Decrypts and parses a sealed JSON value; rejects on any mismatch (wrong key, changed byte, other `aad`). */
export async function openJson(key: CryptoKey, sealed: Sealed, aad: string): Promise<unknown> {
  const plain = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: copyBytes(sealed.iv), additionalData: utf8(aad) }, key, copyBytes(sealed.ct)));
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } finally {
    zero(plain);
  }
}

/** A blind record id: HMAC of the record's identity, so equal identities land in the same slot. 128 bits, base64url. */
export async function blindId(indexKey: CryptoKey, parts: readonly string[]): Promise<string> {
  const mac = new Uint8Array(await subtle.sign('HMAC', indexKey, utf8(parts.join('\u0000'))));
  return toBase64Url(mac.subarray(0, 16));
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest('SHA-256', utf8(text)));
}

/** A random session key (AES-256-GCM) as raw bytes, for the session store (see session-store.ts). */
export async function importSessionKey(raw: Uint8Array): Promise<CryptoKey> {
  return subtle.importKey('raw', copyBytes(raw), { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}
