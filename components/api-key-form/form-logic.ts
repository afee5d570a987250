/**
 * Pure logic of `<api-key-form>`: validation rules, allowlist presets, date conversion and the
 * placement of NAS validation errors on form fields. No Lit, no DOM.
 */
import { fieldErrorsOf, type AllowlistEntry } from '../model/api-key.js';
import { LEGACY_ALLOWLIST_PRESETS } from '../model/scoped-key.js';

/** Longest key name TrueNAS accepts (24.10+: 1-200 characters). */
export const NAME_MAX = 200;
export const DAY_MS = 86_400_000;
export const EXPIRY_PRESETS = [30, 90, 365] as const;

export type FormField = 'name' | 'username' | 'expiresAt' | 'allowlist';

export type NameProblem = { kind: 'required' } | { kind: 'tooLong'; length: number } | null;

/** Length as TrueNAS counts it (Python `len`: code points, not UTF-16 units). */
export function nameLength(name: string): number {
  return [...name].length;
}

export function checkName(name: string): NameProblem {
  const trimmed = name.trim();
  if (!trimmed) return { kind: 'required' };
  const length = nameLength(trimmed);
  if (length > NAME_MAX) return { kind: 'tooLong', length };
  return null;
}

export type ExpiryProblem = 'required' | 'invalid' | 'past' | null;

/** Parses a `datetime-local` value (local time) to epoch ms, or null when incomplete. */
export function parseLocalDateTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** Formats epoch ms as a `datetime-local` value in local time, to the minute. */
export function toLocalDateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function checkExpiry(value: string, now: number): ExpiryProblem {
  if (!value) return 'required';
  const ms = parseLocalDateTime(value);
  if (ms === null) return 'invalid';
  return ms <= now ? 'past' : null;
}

/** The expiry a preset of `days` gives, to the minute. */
export function presetExpiry(days: number, now: number): number {
  const at = new Date(now + days * DAY_MS);
  at.setSeconds(0, 0);
  return at.getTime();
}

/** `snapshots`, `replication`, `sharing`: the scoped-key purposes as allowlists (22.02/24.10 have no roles for keys). */
export type AllowlistPreset = 'everything' | 'readOnly' | 'events' | 'snapshots' | 'replication' | 'sharing';

export const ALLOWLIST_PRESETS: Record<AllowlistPreset, readonly AllowlistEntry[]> = {
  everything: [{ method: '*', resource: '*' }],
  // Reading calls by naming convention, REST reads and event subscriptions.
  readOnly: [
    { method: 'CALL', resource: '*.query' },
    { method: 'CALL', resource: '*.get_instance' },
    { method: 'CALL', resource: '*.config' },
    { method: 'GET', resource: '*' },
    { method: 'SUBSCRIBE', resource: '*' },
  ],
  events: [{ method: 'SUBSCRIBE', resource: '*' }],
  snapshots: LEGACY_ALLOWLIST_PRESETS.snapshots,
  replication: LEGACY_ALLOWLIST_PRESETS.replication,
  sharing: LEGACY_ALLOWLIST_PRESETS.sharing,
};

export type ResourceProblem = 'required' | 'spaces' | null;

export function checkResource(resource: string): ResourceProblem {
  if (!resource.trim()) return 'required';
  if (/\s/.test(resource.trim())) return 'spaces';
  return null;
}

/** Where each NAS validation error belongs: a field, an allowlist row (by index) or the whole form. */
export interface PlacedErrors {
  fields: Partial<Record<FormField, string>>;
  /** Messages for allowlist rows, by row index. */
  rows: Record<number, string>;
  form: string[];
}

const ATTRIBUTES: Record<string, FormField> = {
  name: 'name',
  username: 'username',
  expires_at: 'expiresAt',
  expiresAt: 'expiresAt',
  allowlist: 'allowlist',
};

/**
 * For errors the NAS reports against the whole schema (`api_key_create`: "name must be unique",
 * "Expiration date is in the past", "User does not exist.", "User lacks privilege role
 * membership."), the message says which field it is about.
 */
function fieldFromMessage(message: string): FormField | null {
  if (/\bname\b/i.test(message)) return 'name';
  if (/expir/i.test(message)) return 'expiresAt';
  if (/\buser\b/i.test(message)) return 'username';
  return null;
}

/**
 * Sorts a thrown error's field problems onto the form (see `HasFieldErrors`). An error without
 * any shows `message` (the caller's translated text for it) above the form.
 */
export function placeErrors(error: unknown, message: string, visible: ReadonlySet<FormField>): PlacedErrors {
  const placed: PlacedErrors = { fields: {}, rows: {}, form: [] };
  const problems = fieldErrorsOf(error);
  if (problems.length === 0) {
    placed.form.push(message);
    return placed;
  }
  const add = (field: FormField, message: string) => {
    placed.fields[field] = placed.fields[field] ? `${placed.fields[field]} ${message}` : message;
  };
  for (const problem of problems) {
    const segments = problem.path?.split('.') ?? [];
    const attribute = segments[1];
    const row = attribute === 'allowlist' && segments[2] !== undefined && /^\d+$/.test(segments[2]) ? Number(segments[2]) : null;
    let field: FormField | null = null;
    if (problem.field && problem.field in ATTRIBUTES) field = ATTRIBUTES[problem.field]!;
    else if (attribute && attribute in ATTRIBUTES) field = ATTRIBUTES[attribute]!;
    else if (segments.length <= 1) field = fieldFromMessage(problem.message);
    if (row !== null && visible.has('allowlist')) {
      placed.rows[row] = placed.rows[row] ? `${placed.rows[row]} ${problem.message}` : problem.message;
    } else if (field && visible.has(field)) {
      add(field, problem.message);
    } else {
      placed.form.push(problem.message);
    }
  }
  return placed;
}
