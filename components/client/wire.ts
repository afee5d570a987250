/**
 * Wire shapes per TrueNAS era and their normalisation into the one model the UI uses
 * (components/model/api-key.ts). Normalisation copies only known, non-secret fields: the
 * plaintext `key`, `keyhash`, SCRAM material and `client_key` never leave this module except the
 * `key` of a create/reset result, which becomes `KeyWithSecret.secret`.
 */
import type { AllowlistEntry, ApiKey, FieldError, HashScheme, KeyOwner, KeyWithSecret } from '../model/api-key.js';
import { ALLOWLIST_METHODS } from '../model/api-key.js';
import { InvalidInputError, ProtocolError } from './errors.js';

/** `{"$date": ms}`: how TrueNAS encodes a datetime on the wire. */
export interface WireDate {
  $date: number;
}

/** 22.02-24.10 (eras A, A', B): root-equivalent keys with an allowlist. */
export interface WireApiKeyLegacy {
  id: number;
  name: string;
  created_at: WireDate;
  allowlist: AllowlistEntry[];
}

/** 25.04 (era C): keys tied to a user. */
export interface WireApiKey2504 {
  id: number;
  name: string;
  username: string;
  user_identifier: number | string;
  keyhash: string;
  created_at: WireDate;
  expires_at: WireDate | null;
  local: boolean;
  revoked: boolean;
}

/** 25.10 (era D): adds `revoked_reason`; `username` may be null. */
export interface WireApiKey2510 extends Omit<WireApiKey2504, 'username'> {
  username: string | null;
  revoked_reason: string | null;
}

/** 26.0+ (era E): SCRAM material instead of `keyhash`. */
export interface WireApiKey26 extends Omit<WireApiKey2510, 'keyhash'> {
  iterations: number;
  salt: string;
  stored_key: string;
  server_key: string;
}

export type WireApiKey = WireApiKeyLegacy | WireApiKey2504 | WireApiKey2510 | WireApiKey26;

/** A create or reset result: the entry plus the secret (and `client_key` on 26.0+). */
export type WireApiKeyWithSecret = WireApiKey & { key: string; client_key?: string };

/** `user.query` entry fields the owner picker uses. */
export interface WireUser {
  id: number;
  uid: number;
  username: string;
  full_name: string;
  roles: string[];
  local: boolean;
  builtin: boolean;
  locked: boolean;
}

/** Encodes epoch ms as `{"$date"}`, whole seconds (the NAS decoder double-counts sub-second parts up to 25.10). */
export function encodeDate(ms: number | null, field = 'expiresAt'): WireDate | null {
  if (ms === null) return null;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new InvalidInputError('The date is not valid.', field);
  return { $date: Math.floor(ms / 1000) * 1000 };
}

/** Decodes `{"$date": ms}`; anything else (null, ISO text, garbage) gives null. */
export function decodeDate(value: unknown): number | null {
  if (typeof value === 'object' && value !== null && '$date' in value) {
    const ms = (value).$date;
    if (typeof ms === 'number' && Number.isFinite(ms)) return ms;
  }
  return null;
}

/** A plain JSON object (not null, not an array): what every untrusted frame is checked for first. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function allowlistOf(value: unknown): AllowlistEntry[] | null {
  if (!Array.isArray(value)) return null;
  const out: AllowlistEntry[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const method = item.method;
    const resource = item.resource;
    if (typeof resource === 'string' && (ALLOWLIST_METHODS as readonly unknown[]).includes(method)) {
      out.push({ method: method as AllowlistEntry['method'], resource });
    }
  }
  return out;
}

/** True when the entry has the fields a full row needs (events on 23.10-25.04 carry only an id). */
export function isFullEntry(value: unknown): boolean {
  return isRecord(value) && Number.isSafeInteger(value.id) && typeof value.name === 'string';
}

/** Normalises any era's entry. Throws ProtocolError when the NAS sent something that is not a key. */
export function normalizeApiKey(value: unknown): ApiKey {
  if (!isRecord(value) || !Number.isSafeInteger(value.id) || typeof value.name !== 'string') {
    throw new ProtocolError('The NAS sent an API-key entry without a valid id and name.');
  }
  const userLinked = 'username' in value || 'revoked' in value || 'expires_at' in value;
  const ident = value.user_identifier;
  const key: ApiKey = {
    id: value.id as number,
    name: value.name,
    username: userLinked ? str(value.username) || null : null,
    userIdentifier: typeof ident === 'number' || typeof ident === 'string' ? normalizeIdentifier(ident) : null,
    local: typeof value.local === 'boolean' ? value.local : null,
    createdAt: decodeDate(value.created_at),
    expiresAt: decodeDate(value.expires_at),
    revoked: value.revoked === true,
    revokedReason: str(value.revoked_reason),
    allowlist: userLinked ? null : allowlistOf(value.allowlist),
  };
  // Only the scheme of `keyhash` is kept (upgrade readiness), never the hash.
  if ('keyhash' in value) key.hashScheme = hashSchemeOf(value.keyhash);
  return key;
}

/** `$pbkdf2-sha256$…` / `$pbkdf2-sha512$…` → the scheme; a mask ("********") or anything else → null. */
export function hashSchemeOf(keyhash: unknown): HashScheme | null {
  if (typeof keyhash !== 'string') return null;
  if (keyhash.startsWith('$pbkdf2-sha256$')) return 'pbkdf2-sha256';
  if (keyhash.startsWith('$pbkdf2-sha512$')) return 'pbkdf2-sha512';
  return null;
}

/** The create result sends the row id as a string ("70") while query sends 70: make them equal. */
function normalizeIdentifier(ident: number | string): number | string {
  return typeof ident === 'string' && /^\d+$/.test(ident) ? Number(ident) : ident;
}

/** A TrueNAS API key: the key id, a dash and 64 letters or digits (captured as id and secret part). */
export const API_KEY_PATTERN = /^(\d+)-([A-Za-z0-9]{64})$/;

/**
 * Any key a NAS might issue that can be shown and copied safely: printable ASCII without spaces,
 * within a sane length. Wider than API_KEY_PATTERN on purpose: once the NAS has made a new key the
 * old one is gone, so an unfamiliar format (a future TrueNAS) must still reach the user.
 */
const NEW_SECRET_PATTERN = /^[\x21-\x7e]{8,4096}$/;

/** The one-time secret of a create/reset answer; ProtocolError when there is none that can be shown. */
export function newSecretOf(value: unknown): string {
  const secret = isRecord(value) ? value.key : undefined;
  if (typeof secret !== 'string' || !NEW_SECRET_PATTERN.test(secret)) {
    throw new ProtocolError('The NAS did not return the new API key in a form that can be shown.');
  }
  return secret;
}

/** Splits a create/reset result into the entry and its one-time secret. */
export function normalizeKeyWithSecret(value: unknown): KeyWithSecret {
  const secret = newSecretOf(value);
  return { key: normalizeApiKey(value), secret };
}

export function normalizeUser(value: unknown): KeyOwner | null {
  if (!isRecord(value) || !Number.isSafeInteger(value.id) || typeof value.username !== 'string') return null;
  return {
    id: value.id as number,
    uid: Number.isSafeInteger(value.uid) ? (value.uid as number) : -1,
    username: value.username,
    fullName: str(value.full_name) ?? '',
    roles: Array.isArray(value.roles) ? value.roles.filter((r): r is string => typeof r === 'string') : [],
    local: value.local !== false,
    builtin: value.builtin === true,
    locked: value.locked === true,
  };
}

/**
 * Maps a NAS attribute path to a form field. Paths look like `api_key_create.name`,
 * `api_key_update.expires_at`, `api_key_create.allowlist.0.method`, or the bare schema
 * `api_key_create` for form-level rules; the 25.04+ form-level messages that clearly concern
 * one field are placed on it.
 */
export function fieldOf(path: string | null, message: string): string | null {
  if (path) {
    const parts = path.split('.');
    const attr = parts.length > 1 ? parts[1]! : null;
    if (attr) return FIELD_NAMES[attr] ?? snakeToCamel(attr);
  }
  if (/name must be unique/i.test(message)) return 'name';
  if (/Expiration date/i.test(message)) return 'expiresAt';
  if (/^User (does not exist|lacks privilege)/i.test(message)) return 'username';
  return null;
}

const FIELD_NAMES: Record<string, string> = { expires_at: 'expiresAt', user_identifier: 'username', username: 'username' };

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `extra` triples `[path, message, errno]` → FieldError list; tolerant of garbage. */
export function fieldErrorsFrom(extra: unknown): FieldError[] {
  if (!Array.isArray(extra)) return [];
  const out: FieldError[] = [];
  for (const item of extra) {
    if (!Array.isArray(item)) continue;
    const [path, message, errno] = item as unknown[];
    if (typeof message !== 'string') continue;
    const p = typeof path === 'string' ? path : null;
    out.push({ path: p, field: fieldOf(p, message), message, errno: typeof errno === 'number' ? errno : null });
  }
  return out;
}
