/**
 * The vault header (meta `header`): KDF name, parameters and salt, the passphrase verifier, and the
 * wrapped data and index keys. A SHA-256 checksum over everything but the wrapped keys catches a
 * damaged byte before any of it is used; the wrapped keys are protected by their AES-GCM tags.
 * The checksum is not a secret MAC: someone who rewrites it can only make unlocking fail (reported
 * as a wrong passphrase) or lower the iterations (refused by the floor), never read anything.
 */
import { isBytes, sameBytes, toBase64 } from './codec.js';
import { KDF_CEILING, SALT_BYTES, IV_BYTES, sha256, wrapKey, type KdfParams, type PassphraseKeys, type Wrapped } from './crypto.js';
import { VaultTamperedError } from './errors.js';

export interface HeaderRow {
  format: 'nas-key-vault';
  /** 1: written by schema v1 (no index key); 2: current. */
  v: 1 | 2;
  kdf: KdfParams;
  verifier: Uint8Array;
  dek: Wrapped;
  /** Absent in v1 headers. */
  idx?: Wrapped;
  created: number;
  /** Incremented on every header change (passphrase change, migration). */
  rev: number;
  check: Uint8Array;
}

/** Additional data for the wrapped keys: a wrapped data key cannot be passed off as the index key. */
export const WRAP_AAD = { dek: 'nas-key-vault|dek', idx: 'nas-key-vault|idx' } as const;

function canonical(h: Omit<HeaderRow, 'check'>): string {
  return JSON.stringify([h.format, h.v, h.kdf.name, h.kdf.hash, h.kdf.iterations, toBase64(h.kdf.salt), toBase64(h.verifier), toBase64(h.dek.iv), h.idx ? toBase64(h.idx.iv) : null, h.created, h.rev]);
}

export async function withChecksum(h: Omit<HeaderRow, 'check'>): Promise<HeaderRow> {
  return { ...h, check: await sha256(canonical(h)) };
}

/** A current-format (v2) header: the data and index keys wrapped under the passphrase's key. */
export async function newHeader(kdf: KdfParams, derived: PassphraseKeys, keys: { dek: CryptoKey; idx: CryptoKey }, created: number, rev: number): Promise<HeaderRow> {
  return withChecksum({
    format: 'nas-key-vault',
    v: 2,
    kdf,
    verifier: derived.verifier,
    dek: await wrapKey(keys.dek, derived.key, WRAP_AAD.dek),
    idx: await wrapKey(keys.idx, derived.key, WRAP_AAD.idx),
    created,
    rev,
  });
}

function isWrapped(value: unknown): value is Wrapped {
  const w = value as Partial<Wrapped> | null;
  return typeof w === 'object' && w !== null && isBytes(w.iv, IV_BYTES) && isBytes(w.wrapped) && w.wrapped.length >= 16;
}

/**
 * Validates a stored header's shape and checksum. Throws {@link VaultTamperedError} (`header`) for
 * anything damaged. The iteration floor is checked by the caller (a downgrade is a policy error).
 */
export async function parseHeader(value: unknown): Promise<HeaderRow> {
  const h = value as Partial<HeaderRow> | null;
  const kdf = h?.kdf as Partial<KdfParams> | undefined;
  const valid =
    typeof h === 'object' &&
    h !== null &&
    h.format === 'nas-key-vault' &&
    (h.v === 1 || h.v === 2) &&
    typeof kdf === 'object' &&
    kdf !== null &&
    kdf.name === 'PBKDF2' &&
    kdf.hash === 'SHA-256' &&
    Number.isSafeInteger(kdf.iterations) &&
    kdf.iterations! > 0 &&
    kdf.iterations! <= KDF_CEILING &&
    isBytes(kdf.salt, SALT_BYTES) &&
    isBytes(h.verifier, 32) &&
    isWrapped(h.dek) &&
    (h.v === 1 ? h.idx === undefined : isWrapped(h.idx)) &&
    typeof h.created === 'number' &&
    Number.isSafeInteger(h.rev) &&
    isBytes(h.check, 32);
  if (!valid) throw new VaultTamperedError('header');
  const header = h as HeaderRow;
  const { check, ...rest } = header;
  if (!sameBytes(check, await sha256(canonical(rest)))) throw new VaultTamperedError('header');
  return header;
}
