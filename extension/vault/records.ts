/**
 * Record payloads (what is encrypted inside each row), their additional data, and the merge rules
 * shared by saving, importing and migrating.
 */
import { blindId } from './crypto.js';
import type { RecordRow, RecordStore } from './db.js';
import { HISTORY_LIMIT, KEY_SOURCES, type CheckedKeyInput, type HostAuth, type KeySource, type SupersededSecret } from './model.js';

/** Payload format written today (`RecordRow.v`). */
export const PAYLOAD_VERSION = 2;

/** The encrypted part of a stored key (schema v2). */
export interface KeyPayload {
  host: string;
  keyId: number | null;
  name: string;
  secret: string;
  createdAt: number | null;
  source: KeySource;
  notes: string;
  expiresAt: number | null;
  storedAt: number;
  history: SupersededSecret[];
}

/** The encrypted part of a host credential. */
export interface HostPayload {
  host: string;
  auth: HostAuth;
  /**
   * When this sign-in was set (epoch ms): by `saveHostCredential`, or the date it carried in an
   * import file, so an import never makes an older sign-in look newer. Absent in rows written
   * before it existed (the row's `updated` stands in).
   */
  changedAt?: number;
}

/** The encrypted part of a schema-v1 row (read only by the migration). */
export interface KeyPayloadV1 {
  host: string;
  keyId: number;
  name: string;
  secret: string;
  created: number;
  source: KeySource;
  notes: string;
}

/**
 * Additional data of a row: binds the ciphertext to its store, id, payload version, revision and
 * clear update time, so a row moved to another slot, relabelled or replayed under another revision
 * does not decrypt.
 */
export function recordAad(store: RecordStore, row: Pick<RecordRow, 'id' | 'v' | 'rev' | 'updated'>): string {
  if (row.v === 1) return `nas-key-vault|keys|${row.id}|v1`;
  return `nas-key-vault|${store}|${row.id}|v${row.v}|r${row.rev}|u${row.updated}`;
}

/** The id of a key: fixed per host and NAS key id (or per host and secret when the id is unknown). */
export function keyRecordId(indexKey: CryptoKey, host: string, keyId: number | null, secret: string): Promise<string> {
  return keyId === null ? blindId(indexKey, ['key-secret', host, secret]) : blindId(indexKey, ['key', host, String(keyId)]);
}

export function hostRecordId(indexKey: CryptoKey, host: string): Promise<string> {
  return blindId(indexKey, ['host', host]);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTimeOrNull = (v: unknown): v is number | null => v === null || isTime(v);
const isSource = (v: unknown): v is KeySource => KEY_SOURCES.includes(v as KeySource);

function isHistory(value: unknown): value is SupersededSecret[] {
  return Array.isArray(value) && value.every((h: Partial<SupersededSecret>) => typeof h === 'object' && h !== null && isStr(h.secret) && isSource(h.source) && isTime(h.storedAt) && isTime(h.supersededAt));
}

/** Checks a decrypted key payload's shape (authentic data from another writer may still be malformed). */
export function isKeyPayload(value: unknown): value is KeyPayload {
  const p = value as Partial<KeyPayload> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    isStr(p.host) &&
    (p.keyId === null || Number.isSafeInteger(p.keyId)) &&
    isStr(p.name) &&
    isStr(p.secret) &&
    isTimeOrNull(p.createdAt) &&
    isSource(p.source) &&
    isStr(p.notes) &&
    isTimeOrNull(p.expiresAt) &&
    isTime(p.storedAt) &&
    isHistory(p.history)
  );
}

export function isHostPayload(value: unknown): value is HostPayload {
  const p = value as Partial<HostPayload> | null;
  const a = p?.auth as Record<string, unknown> | undefined;
  return (
    typeof p === 'object' &&
    p !== null &&
    isStr(p.host) &&
    (p.changedAt === undefined || isTime(p.changedAt)) &&
    typeof a === 'object' &&
    a !== null &&
    ((a.kind === 'api-key' && isStr(a.apiKey)) || (a.kind === 'password' && isStr(a.username) && isStr(a.password)))
  );
}

export function isKeyPayloadV1(value: unknown): value is KeyPayloadV1 {
  const p = value as Partial<KeyPayloadV1> | null;
  return typeof p === 'object' && p !== null && isStr(p.host) && Number.isSafeInteger(p.keyId) && isStr(p.name) && isStr(p.secret) && isTime(p.created) && isSource(p.source) && isStr(p.notes);
}

export function fromV1(p: KeyPayloadV1): KeyPayload {
  return { host: p.host, keyId: p.keyId, name: p.name, secret: p.secret, createdAt: p.created, source: p.source, notes: p.notes, expiresAt: null, storedAt: p.created, history: [] };
}

/** Newest first, one entry per secret, never the current secret, at most {@link HISTORY_LIMIT}. */
function tidyHistory(entries: SupersededSecret[], current: string): SupersededSecret[] {
  const seen = new Set<string>([current]);
  const out: SupersededSecret[] = [];
  for (const entry of [...entries].sort((a, b) => b.supersededAt - a.supersededAt)) {
    if (seen.has(entry.secret)) continue;
    seen.add(entry.secret);
    out.push(entry);
  }
  return out.slice(0, HISTORY_LIMIT);
}

/** Applies `saveKey`: a new secret becomes current and the previous one moves to history. */
export function applySave(current: KeyPayload | undefined, input: CheckedKeyInput, now: number): KeyPayload {
  if (!current) {
    return {
      host: input.host,
      keyId: input.keyId,
      name: input.name,
      secret: input.secret,
      createdAt: input.createdAt ?? null,
      source: input.source,
      notes: input.notes ?? '',
      expiresAt: input.expiresAt ?? null,
      storedAt: now,
      history: [],
    };
  }
  const next: KeyPayload = {
    ...current,
    name: input.name,
    createdAt: input.createdAt === undefined ? current.createdAt : input.createdAt,
    notes: input.notes ?? current.notes,
    expiresAt: input.expiresAt === undefined ? current.expiresAt : input.expiresAt,
  };
  if (input.secret !== current.secret) {
    const superseded: SupersededSecret = { secret: current.secret, source: current.source, storedAt: current.storedAt, supersededAt: now };
    next.secret = input.secret;
    next.source = input.source;
    next.storedAt = now;
    next.history = tidyHistory([superseded, ...current.history], input.secret);
  }
  return next;
}

/**
 * Merges two versions of the same key (import, migration): the secret stored last is current, every
 * other secret either side knew goes to history; descriptive fields come from the newer side; notes
 * are kept unless empty.
 */
export function mergeKeys(mine: KeyPayload, theirs: KeyPayload): KeyPayload {
  const [newer, older] = theirs.storedAt > mine.storedAt ? [theirs, mine] : [mine, theirs];
  const olderCurrent: SupersededSecret[] = older.secret === newer.secret ? [] : [{ secret: older.secret, source: older.source, storedAt: older.storedAt, supersededAt: newer.storedAt }];
  return {
    ...newer,
    notes: mine.notes || theirs.notes,
    history: tidyHistory([...newer.history, ...older.history, ...olderCurrent], newer.secret),
  };
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Structural equality of JSON-like payloads (to count unchanged entries on import). */
export function samePayload(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}
