/**
 * The export file: JSON carrying its own KDF parameters, so it can be imported into any vault with
 * the export passphrase alone.
 *
 * ```
 * { "format": "nas-key-vault-export", "version": 1, "exportedAt": <ms>,
 *   "kdf": { "name": "PBKDF2", "hash": "SHA-256", "iterations": 600000, "salt": <b64 16 B> },
 *   "verifier": <b64 32 B>, "check": <b64 SHA-256 of the fields above>,
 *   "data": { "iv": <b64 12 B>, "ct": <b64> } }
 * ```
 * `data` is AES-256-GCM of `{ keys, hosts }` under a key derived from the passphrase (PBKDF2, then
 * HKDF), with the header fields as additional data. `check` tells a damaged header from a wrong
 * passphrase; the GCM tag covers everything else.
 */
import { fromBase64, sameBytes, toBase64 } from './codec.js';
import { KDF_CEILING, IV_BYTES, SALT_BYTES, derivePassphraseKeys, enforceKdfFloor, newKdfParams, openJson, sealJson, sha256, type KdfParams } from './crypto.js';
import { ImportFormatError, WrongPassphraseError } from './errors.js';
import { checkHost, checkHostAuth, checkSaveKeyInput, type HostAuth } from './model.js';
import { isHostPayload, isKeyPayload, type KeyPayload } from './records.js';

export const EXPORT_FORMAT = 'nas-key-vault-export';
export const PLAINTEXT_FORMAT = 'nas-key-vault-plaintext';
/** The newest export version this code reads and the one it writes. */
export const EXPORT_VERSION = 1;
/** Larger files are refused before parsing (10,000 keys export to about 5 MB). */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

/** One key in an export: the payload plus its last change time. */
export type ExportedKey = KeyPayload & { updatedAt: number };
export interface ExportedHost {
  host: string;
  auth: HostAuth;
  updatedAt: number;
}
export interface ExportContents {
  keys: ExportedKey[];
  hosts: ExportedHost[];
}

interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  verifier: string;
}

/** The header text that is both checksummed and used as additional data (fixed field order). */
function headerText(h: ExportHeader): string {
  return JSON.stringify({
    format: h.format,
    version: h.version,
    exportedAt: h.exportedAt,
    kdf: { name: h.kdf.name, hash: h.kdf.hash, iterations: h.kdf.iterations, salt: h.kdf.salt },
    verifier: h.verifier,
  });
}

export async function writeEncryptedExport(contents: ExportContents, passphrase: string, iterations: number, now: number): Promise<string> {
  const kdf = newKdfParams(iterations);
  const derived = await derivePassphraseKeys(passphrase, kdf, 'export');
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(kdf.salt) },
    verifier: toBase64(derived.verifier),
  };
  derived.verifier.fill(0);
  const text = headerText(header);
  const sealed = await sealJson(derived.key, contents, text);
  return `${JSON.stringify({ ...header, check: toBase64(await sha256(text)), data: { iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) } })}\n`;
}

export function writePlaintextExport(contents: ExportContents, now: number): string {
  return `${JSON.stringify({ format: PLAINTEXT_FORMAT, version: EXPORT_VERSION, exportedAt: now, warning: 'UNENCRYPTED: every secret below is in clear text. Delete this file after use.', ...contents }, null, 2)}\n`;
}

/** True if JSON text ends inside a string or with unclosed brackets (what cutting a file off leaves). */
function leftOpen(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  return inString || depth > 0;
}

interface ParsedExport {
  header: ExportHeader;
  kdf: KdfParams;
  verifier: Uint8Array;
  check: Uint8Array;
  iv: Uint8Array;
  ct: Uint8Array;
}

/** Parses and shape-checks an export file, without any crypto. Throws {@link ImportFormatError}. */
export function parseExportFile(input: unknown): ParsedExport {
  if (typeof input !== 'string') throw new ImportFormatError('wrong-format');
  const text = input.replace(/^\uFEFF/, '').trim();
  if (!text) throw new ImportFormatError('empty');
  if (text.length > MAX_IMPORT_CHARS) throw new ImportFormatError('too-large');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Ours (by its first field) but unparsable: cut off if its brackets or a string are left open.
    const ours = /^\{\s*"format"\s*:\s*"nas-key-vault-(export|plaintext)"/.test(text);
    throw new ImportFormatError(!ours ? 'not-json' : leftOpen(text) ? 'truncated' : 'corrupt');
  }
  const f = value as Record<string, unknown> | null;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new ImportFormatError('wrong-format');
  if (f.format === PLAINTEXT_FORMAT) throw new ImportFormatError('plaintext');
  if (f.format !== EXPORT_FORMAT) throw new ImportFormatError('wrong-format');
  if (typeof f.version !== 'number' || !Number.isSafeInteger(f.version) || f.version < 1) throw new ImportFormatError('corrupt');
  if (f.version > EXPORT_VERSION) throw new ImportFormatError('newer-version');
  const kdf = f.kdf as Record<string, unknown> | null;
  const data = f.data as Record<string, unknown> | null;
  if (typeof kdf !== 'object' || kdf === null || typeof data !== 'object' || data === null) throw new ImportFormatError('corrupt');
  const salt = typeof kdf.salt === 'string' ? fromBase64(kdf.salt) : null;
  const verifier = typeof f.verifier === 'string' ? fromBase64(f.verifier) : null;
  const check = typeof f.check === 'string' ? fromBase64(f.check) : null;
  const iv = typeof data.iv === 'string' ? fromBase64(data.iv) : null;
  const ct = typeof data.ct === 'string' ? fromBase64(data.ct) : null;
  const iterations = kdf.iterations;
  if (
    kdf.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    typeof iterations !== 'number' ||
    !Number.isSafeInteger(iterations) ||
    iterations < 1 ||
    iterations > KDF_CEILING ||
    typeof f.exportedAt !== 'number' ||
    salt?.length !== SALT_BYTES ||
    verifier?.length !== 32 ||
    check?.length !== 32 ||
    iv?.length !== IV_BYTES ||
    !ct ||
    ct.length < 16
  ) {
    throw new ImportFormatError('corrupt');
  }
  const header: ExportHeader = { format: EXPORT_FORMAT, version: f.version, exportedAt: f.exportedAt, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: kdf.salt as string }, verifier: f.verifier as string };
  return { header, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt }, verifier, check, iv, ct };
}

/**
 * Opens a parsed export with its passphrase. Throws {@link ImportFormatError} (`corrupt`) for damage,
 * {@link WrongPassphraseError} for a wrong passphrase, `KdfPolicyError` below the iteration floor.
 */
export async function openEncryptedExport(parsed: ParsedExport, passphrase: string, allowWeakKdfForTests: boolean): Promise<ExportContents> {
  const text = headerText(parsed.header);
  if (!sameBytes(parsed.check, await sha256(text))) throw new ImportFormatError('corrupt');
  enforceKdfFloor(parsed.kdf.iterations, allowWeakKdfForTests);
  const derived = await derivePassphraseKeys(passphrase, parsed.kdf, 'export');
  const right = sameBytes(derived.verifier, parsed.verifier);
  derived.verifier.fill(0);
  if (!right) throw new WrongPassphraseError(0, 0, 'file');
  let contents: unknown;
  try {
    contents = await openJson(derived.key, { iv: parsed.iv, ct: parsed.ct }, text);
  } catch {
    throw new ImportFormatError('corrupt');
  }
  return checkContents(contents);
}

/** Validates decrypted contents entry by entry, with the same rules as direct input. */
function checkContents(value: unknown): ExportContents {
  const c = value as Partial<ExportContents> | null;
  if (typeof c !== 'object' || c === null || !Array.isArray(c.keys) || !Array.isArray(c.hosts)) throw new ImportFormatError('corrupt');
  try {
    for (const key of c.keys) {
      if (!isKeyPayload(key) || typeof key.updatedAt !== 'number') throw new ImportFormatError('corrupt');
      checkSaveKeyInput(key);
      for (const old of key.history) checkSaveKeyInput({ ...key, secret: old.secret });
    }
    for (const host of c.hosts) {
      if (!isHostPayload(host) || typeof host.updatedAt !== 'number') throw new ImportFormatError('corrupt');
      checkHost(host.host);
      checkHostAuth(host.auth);
    }
  } catch {
    throw new ImportFormatError('corrupt');
  }
  return c as ExportContents;
}
