/**
 * What the vault stores, as callers see it, plus the checks every input goes through. Everything in
 * these shapes is encrypted at rest; only the opaque `id` and `updatedAt` are stored in clear.
 */
import { VaultInputError } from './errors.js';

/** Where a stored key came from. */
export type KeySource = 'create' | 'reset' | 'manual';
export const KEY_SOURCES: readonly KeySource[] = ['create', 'reset', 'manual'];

/** A secret that a later one replaced (a reset), kept so a consumer still using it can be found. */
export interface SupersededSecret {
  secret: string;
  source: KeySource;
  /** When this secret was stored in the vault (epoch ms). */
  storedAt: number;
  /** When a newer secret replaced it (epoch ms). */
  supersededAt: number;
}

/** A stored API key. */
export interface StoredApiKey {
  /** Opaque vault id: the same host and key id always map to the same id in one vault. */
  id: string;
  /** The NAS this key belongs to, as the caller names it (e.g. its origin `https://nas.local`). */
  host: string;
  /** The key's id on the NAS; null only for a secret whose id is unknown. */
  keyId: number | null;
  name: string;
  /** The current secret, `<id>-<64 alphanumerics>` for TrueNAS keys. */
  secret: string;
  /** When the NAS created the key (epoch ms), if known. */
  createdAt: number | null;
  source: KeySource;
  /** Free text, e.g. "used by Home Assistant". */
  notes: string;
  /** Expiry the NAS reports (epoch ms); null means it never expires or is unknown. */
  expiresAt: number | null;
  /** When the current secret was stored (epoch ms). */
  storedAt: number;
  /** Last change of this entry (epoch ms). */
  updatedAt: number;
  /** Superseded secrets, newest first (at most {@link HISTORY_LIMIT}). */
  history: SupersededSecret[];
}

/** Most superseded secrets kept per key; older ones are dropped. */
export const HISTORY_LIMIT = 50;

/** Input of `saveKey`. Saving a key the vault already holds (same host and key id) updates it; a new secret moves the old one to history. */
export interface SaveKeyInput {
  host: string;
  /** The NAS key id. Omit or pass null to take it from a `<id>-…` secret. */
  keyId?: number | null;
  name: string;
  secret: string;
  source: KeySource;
  createdAt?: number | null;
  /** Omit to keep the stored notes. */
  notes?: string;
  expiresAt?: number | null;
}

/** Editable fields of a stored key (`updateKey`). */
export interface KeyPatch {
  name?: string;
  notes?: string;
  expiresAt?: number | null;
}

/** How the extension logs in to a host. */
export type HostAuth = { kind: 'api-key'; apiKey: string } | { kind: 'password'; username: string; password: string };

/** A host's login credential. */
export interface HostCredential {
  /** Opaque vault id, fixed per host. */
  id: string;
  host: string;
  auth: HostAuth;
  /** When this sign-in was set (epoch ms); an import keeps the date from its file. */
  updatedAt: number;
}

/** A listing: the entries that could be read, and an error for each that failed its integrity check. */
export interface VaultList<T> {
  items: T[];
  damaged: Array<{ id: string; error: Error }>;
}

// --- validation -------------------------------------------------------------------------------

/** True if the text has a C0 control character or DEL. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const HOST_MAX = 2048;
export const NOTES_MAX = 4000;
const SECRET_MAX = 1024;
const USERNAME_MAX = 256;

function fail(field: string, message: string): never {
  throw new VaultInputError(field, message);
}

export function checkHost(value: unknown, field = 'host'): string {
  if (typeof value !== 'string') fail(field, 'The host must be text.');
  const host = value.trim();
  if (!host) fail(field, 'The host is empty.');
  if (host.length > HOST_MAX) fail(field, `The host is too long (more than ${HOST_MAX} characters).`);
  if (/\s/.test(host) || hasControl(host)) fail(field, 'The host must not contain spaces or control characters.');
  return host;
}

/**
 * A key name is whatever the NAS has (TrueNAS 22.02-23.10 accept blank, control characters and any
 * length, and a hostile NAS can send anything): it is stored exactly as given and is never a reason
 * to refuse a secret. Only a non-string is refused. Callers display it safely.
 */
function checkName(value: unknown): string {
  if (typeof value !== 'string') fail('name', 'The key name must be text.');
  return value;
}

function checkNotes(value: unknown): string {
  if (typeof value !== 'string') fail('notes', 'The notes must be text.');
  if (value.length > NOTES_MAX) fail('notes', `The notes are too long: use at most ${NOTES_MAX} characters (they have ${value.length}).`);
  if (value.includes('\u0000')) fail('notes', 'The notes must not contain NUL characters.');
  return value;
}

/** A token-like secret: no whitespace, no control characters. The message never quotes it. */
function checkToken(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string') fail(field, `The ${what} must be text.`);
  if (!value) fail(field, `The ${what} is empty.`);
  if (value.length > SECRET_MAX) fail(field, `The ${what} is too long (more than ${SECRET_MAX} characters).`);
  if (/\s/.test(value) || hasControl(value)) fail(field, `The ${what} must not contain spaces, line breaks or control characters; check that it was copied whole.`);
  return value;
}

function checkTime(value: unknown, field: string, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(field, `The ${what} must be a time in epoch milliseconds, or null.`);
  return value;
}

export function checkKeyId(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail('keyId', 'The key id must be a positive whole number, as the NAS reports it.');
  return value;
}

/** The key id a TrueNAS secret starts with (`<id>-…`), or null. */
export function keyIdOfSecret(secret: string): number | null {
  const match = /^(\d{1,15})-/.exec(secret);
  return match ? Number(match[1]) : null;
}

/** A validated, normalised {@link SaveKeyInput}. */
export interface CheckedKeyInput {
  host: string;
  keyId: number | null;
  name: string;
  secret: string;
  source: KeySource;
  createdAt: number | null;
  notes: string | undefined;
  expiresAt: number | null;
}

export function checkSaveKeyInput(input: unknown): CheckedKeyInput {
  if (typeof input !== 'object' || input === null) fail('input', 'The key to save is missing.');
  const i = input as Partial<Record<keyof SaveKeyInput, unknown>>;
  const host = checkHost(i.host);
  const secret = checkToken(i.secret, 'secret', 'secret');
  let keyId = checkKeyId(i.keyId);
  const fromSecret = keyIdOfSecret(secret);
  if (keyId === null) keyId = fromSecret;
  else if (fromSecret !== null && fromSecret !== keyId) fail('secret', `The secret belongs to key ${fromSecret}, not to key ${keyId}.`);
  if (typeof i.source !== 'string' || !KEY_SOURCES.includes(i.source as KeySource)) fail('source', `The source must be one of: ${KEY_SOURCES.join(', ')}.`);
  return {
    host,
    keyId,
    name: checkName(i.name),
    secret,
    source: i.source as KeySource,
    createdAt: checkTime(i.createdAt, 'createdAt', 'creation time'),
    notes: i.notes === undefined ? undefined : checkNotes(i.notes),
    expiresAt: checkTime(i.expiresAt, 'expiresAt', 'expiry'),
  };
}

export function checkKeyPatch(patch: unknown): KeyPatch {
  if (typeof patch !== 'object' || patch === null) fail('patch', 'The changes are missing.');
  const p = patch as Partial<Record<keyof KeyPatch, unknown>>;
  const out: KeyPatch = {};
  if (p.name !== undefined) out.name = checkName(p.name);
  if (p.notes !== undefined) out.notes = checkNotes(p.notes);
  if (p.expiresAt !== undefined) out.expiresAt = checkTime(p.expiresAt, 'expiresAt', 'expiry');
  return out;
}

export function checkHostAuth(auth: unknown): HostAuth {
  if (typeof auth !== 'object' || auth === null) fail('auth', 'The credential is missing.');
  const a = auth as Record<string, unknown>;
  if (a.kind === 'api-key') return { kind: 'api-key', apiKey: checkToken(a.apiKey, 'apiKey', 'API key') };
  if (a.kind === 'password') {
    if (typeof a.username !== 'string' || !a.username.trim()) fail('username', 'The username is empty.');
    const username = a.username.trim();
    if (username.length > USERNAME_MAX || hasControl(username)) fail('username', `The username must be at most ${USERNAME_MAX} characters without control characters.`);
    if (typeof a.password !== 'string' || !a.password) fail('password', 'The password is empty.');
    if (a.password.length > SECRET_MAX) fail('password', `The password is too long (more than ${SECRET_MAX} characters).`);
    if (hasControl(a.password)) fail('password', 'The password must not contain control characters.');
    return { kind: 'password', username, password: a.password };
  }
  return fail('kind', 'The credential kind must be "api-key" or "password".');
}
