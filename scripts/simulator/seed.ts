/**
 * Seed data: the users and keys a simulator starts with. A seed is JSON (a file or an object);
 * dates may be ISO strings, epoch milliseconds, or relative to start-up ("now", "now+3d",
 * "now-90d", units s/m/h/d). See docs/simulator.md for the format.
 */
import { readFileSync } from 'node:fs';
import { isKeySecret } from './crypto.js';

export const ALLOWLIST_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'CALL', 'SUBSCRIBE', '*'] as const;

export interface SeedAllowlistEntry {
  method: string;
  resource: string;
}

export interface SeedUser {
  /** `account.bsdusers` row id: what 25.04+ keys store in `user_identifier`. */
  id: number;
  uid: number;
  username: string;
  fullName?: string;
  builtin?: boolean;
  /** Privilege roles (FULL_ADMIN, READONLY_ADMIN, SHARING_ADMIN, API_KEY_READ, API_KEY_WRITE, ...). */
  roles?: string[];
  /** Plain password; a random one is generated per run when omitted. */
  password?: string;
  /** Base32 TOTP secret: the user has two-factor authentication. */
  otpSecret?: string;
  locked?: boolean;
  email?: string | null;
  /** The bootstrap admin whose credentials the simulator hands out (default: first FULL_ADMIN non-root). */
  admin?: boolean;
  /** Primary group by name (default: a personal group named after the user, gid = uid; root: "root"). */
  group?: string;
  /** Auxiliary groups by name, e.g. "truenas_readonly_administrators" (gid 951). */
  groups?: string[];
  /** A service account: no password (then `password` must be absent), shell nologin, home /var/empty. */
  passwordDisabled?: boolean;
  /** Default: true except for root and password-disabled accounts. */
  smb?: boolean;
  shell?: string;
  home?: string;
}

/** A local group besides the built-in ones (root, builtin_administrators, builtin_users, 951, 952, nogroup). */
export interface SeedGroup {
  /** Database id (default: the next free one). */
  id?: number;
  gid: number;
  name: string;
  smb?: boolean;
}

/** A privilege besides the three built-in ones. */
export interface SeedPrivilege {
  name: string;
  /** GIDs or group names. */
  localGroups?: Array<number | string>;
  roles?: string[];
  webShell?: boolean;
}

/** An audit record (service MIDDLEWARE). Default event AUTHENTICATION. */
export interface SeedAuditEvent {
  at: SeedDate;
  username: string;
  address?: string;
  event?: string;
  success?: boolean;
  /** For AUTHENTICATION: the key (by seed name) the login used; absent = a password login. */
  key?: string;
  error?: string | null;
}

export type SeedDate = string | number;

export interface SeedKey {
  name: string;
  /** Owner (25.04+): a username, "LEGACY_API_KEY", or `{sid}` for a directory user that does not resolve. */
  owner?: string | { sid: string };
  createdAt?: SeedDate;
  /** null or absent: never expires. */
  expiresAt?: SeedDate | null;
  revoked?: boolean;
  /** 25.10+ `revoked_reason`. */
  revokedReason?: string | null;
  /** 22.02-24.10 allowlist; default `[{"method":"*","resource":"*"}]`. */
  allowlist?: SeedAllowlistEntry[];
  /** Optional fixed 64-character secret so tests can log in with a seeded key. */
  secret?: string;
  /**
   * 25.04/25.10: "sha256" keeps the key's pre-25.04 `$pbkdf2-sha256$` hash (never used since the
   * upgrade), so upgrade readiness can be tested; its first login rewrites it to sha512. On 26.0 such
   * a key comes out of the upgrade revoked ("$pbkdf2-sha256: unsupported cryptographic algorithm").
   */
  keyhash?: 'sha256' | 'sha512';
}

export interface SeedData {
  users: SeedUser[];
  keys?: SeedKey[];
  groups?: SeedGroup[];
  privileges?: SeedPrivilege[];
  audit?: SeedAuditEvent[];
}

const DAY = 86_400_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY };

/** Resolves a seed date against `now` (epoch ms). */
export function seedDate(value: SeedDate, now: number, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const rel = /^now(?:([+-])(\d+)([smhd]))?$/.exec(value);
    if (rel) {
      const [, sign, amount, unit] = rel;
      return sign ? now + (sign === '-' ? -1 : 1) * Number(amount) * UNITS[unit!]! : now;
    }
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`Seed ${where}: "${String(value)}" is not a date (use ISO 8601, epoch milliseconds, or "now±N[smhd]")`);
}

/** Reads and checks a seed, so a typo gives one clear message instead of odd behaviour later. */
export function loadSeed(source: string | SeedData): SeedData {
  let raw: unknown = source;
  if (typeof source === 'string') {
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      throw new Error(`Cannot read seed file ${source}: ${(e as Error).message}`, { cause: e });
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`Seed file ${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  return checkSeed(raw);
}

function checkSeed(raw: unknown): SeedData {
  const fail = (msg: string): never => {
    throw new Error(`Invalid seed: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('expected an object with "users" and "keys"');
  const seed = raw as Record<string, unknown>;
  if (!Array.isArray(seed.users) || seed.users.length === 0) fail('"users" must be a non-empty array');
  const groupNames = new Set(['root', 'builtin_administrators', 'builtin_users', 'truenas_readonly_administrators', 'truenas_sharing_administrators', 'nogroup']);
  const groups = seed.groups ?? [];
  if (!Array.isArray(groups)) fail('"groups" must be an array');
  (groups as unknown[]).forEach((g, i) => {
    const group = (g && typeof g === 'object' ? g : {}) as Record<string, unknown>;
    if (!Number.isInteger(group.gid) || (group.gid as number) < 0) fail(`groups[${i}].gid must be a non-negative integer`);
    if (group.id !== undefined && (!Number.isInteger(group.id) || (group.id as number) < 1)) fail(`groups[${i}].id must be a positive integer`);
    if (typeof group.name !== 'string' || !/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(group.name)) fail(`groups[${i}].name must be a valid group name`);
    if (groupNames.has(group.name as string)) fail(`groups[${i}].name "${String(group.name)}" is used twice`);
    groupNames.add(group.name as string);
  });
  const ids = new Set<number>();
  const names = new Set<string>();
  (seed.users as unknown[]).forEach((u, i) => {
    const where = `users[${i}]`;
    if (!u || typeof u !== 'object') fail(`${where} must be an object`);
    const user = u as Record<string, unknown>;
    if (!Number.isInteger(user.id) || (user.id as number) < 1) fail(`${where}.id must be a positive integer`);
    if (!Number.isInteger(user.uid) || (user.uid as number) < 0) fail(`${where}.uid must be a non-negative integer`);
    if (typeof user.username !== 'string' || !/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}$/.test(user.username)) {
      fail(`${where}.username must be a valid account name`);
    }
    if (ids.has(user.id as number)) fail(`${where}.id ${String(user.id)} is used twice`);
    if (names.has(user.username as string)) fail(`${where}.username "${String(user.username)}" is used twice`);
    ids.add(user.id as number);
    names.add(user.username as string);
    if (user.roles !== undefined && (!Array.isArray(user.roles) || user.roles.some((r) => typeof r !== 'string'))) {
      fail(`${where}.roles must be an array of role names`);
    }
    if (user.password !== undefined && (typeof user.password !== 'string' || user.password === '')) fail(`${where}.password must be a non-empty string`);
    if (user.passwordDisabled === true && user.password !== undefined) fail(`${where}: a password-disabled user has no password`);
    if (user.group !== undefined && (typeof user.group !== 'string' || !groupNames.has(user.group))) fail(`${where}.group is not a built-in or seeded group`);
    if (Array.isArray(user.groups) && user.groups.some((g) => typeof g !== 'string' || !groupNames.has(g))) fail(`${where}.groups must name built-in or seeded groups`);
    if (user.groups !== undefined && !Array.isArray(user.groups)) fail(`${where}.groups must be an array of group names`);
    if (user.otpSecret !== undefined && (typeof user.otpSecret !== 'string' || !/^[A-Z2-7]{16,}=*$/.test(user.otpSecret))) {
      fail(`${where}.otpSecret must be a base32 string of at least 16 characters`);
    }
  });
  const keys = seed.keys ?? [];
  if (!Array.isArray(keys)) fail('"keys" must be an array');
  const keyNames = new Set<string>();
  (keys as unknown[]).forEach((k, i) => {
    const where = `keys[${i}]`;
    if (!k || typeof k !== 'object') fail(`${where} must be an object`);
    const key = k as Record<string, unknown>;
    if (typeof key.name !== 'string' || key.name.length < 1 || key.name.length > 200) fail(`${where}.name must be 1-200 characters`);
    if (keyNames.has(key.name as string)) fail(`${where}.name "${String(key.name)}" is used twice (names are unique)`);
    keyNames.add(key.name as string);
    const owner = key.owner;
    if (owner !== undefined) {
      const sidOk = owner && typeof owner === 'object' && typeof (owner as { sid?: unknown }).sid === 'string';
      if (typeof owner !== 'string' && !sidOk) fail(`${where}.owner must be a username, "LEGACY_API_KEY" or {"sid": "..."}`);
      if (typeof owner === 'string' && owner !== 'LEGACY_API_KEY' && !names.has(owner)) fail(`${where}.owner "${owner}" is not a seeded user`);
    }
    if (key.secret !== undefined && (typeof key.secret !== 'string' || !isKeySecret(key.secret))) {
      fail(`${where}.secret must be 64 characters from [A-Za-z0-9]`);
    }
    if (key.allowlist !== undefined) {
      if (!Array.isArray(key.allowlist)) fail(`${where}.allowlist must be an array`);
      (key.allowlist as unknown[]).forEach((e, j) => {
        const entry = e as Record<string, unknown> | null;
        if (!entry || !(ALLOWLIST_METHODS as readonly unknown[]).includes(entry.method) || typeof entry.resource !== 'string') {
          fail(`${where}.allowlist[${j}] must be {"method": ${ALLOWLIST_METHODS.join('|')}, "resource": string}`);
        }
      });
    }
    for (const field of ['createdAt', 'expiresAt'] as const) {
      const v = key[field];
      if (v !== undefined && v !== null) seedDate(v as SeedDate, Date.now(), `${where}.${field}`);
    }
    if (key.keyhash !== undefined && key.keyhash !== 'sha256' && key.keyhash !== 'sha512') fail(`${where}.keyhash must be "sha256" or "sha512"`);
  });
  const privileges = seed.privileges ?? [];
  if (!Array.isArray(privileges)) fail('"privileges" must be an array');
  (privileges as unknown[]).forEach((p, i) => {
    const priv = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
    if (typeof priv.name !== 'string' || priv.name === '') fail(`privileges[${i}].name must be a non-empty string`);
    const lg = priv.localGroups ?? [];
    if (!Array.isArray(lg) || lg.some((g) => !(Number.isInteger(g) || (typeof g === 'string' && groupNames.has(g))))) {
      fail(`privileges[${i}].localGroups must list GIDs or names of built-in or seeded groups`);
    }
    if (priv.roles !== undefined && (!Array.isArray(priv.roles) || priv.roles.some((r) => typeof r !== 'string'))) fail(`privileges[${i}].roles must be role names`);
  });
  const audit = seed.audit ?? [];
  if (!Array.isArray(audit)) fail('"audit" must be an array');
  (audit as unknown[]).forEach((a, i) => {
    const ev = (a && typeof a === 'object' ? a : {}) as Record<string, unknown>;
    seedDate(ev.at as SeedDate, Date.now(), `audit[${i}].at`);
    if (typeof ev.username !== 'string') fail(`audit[${i}].username must be a string`);
    if (ev.key !== undefined && !keyNames.has(ev.key as string)) fail(`audit[${i}].key "${String(ev.key)}" is not a seeded key`);
  });
  return seed as unknown as SeedData;
}

/**
 * The built-in seed: users with and without roles, and keys in every state the UI must show.
 * Passwords are generated per run (see RunningSimulator.users).
 */
export function defaultSeed(): SeedData {
  return {
    users: [
      { id: 1, uid: 0, username: 'root', fullName: 'root', builtin: true, roles: ['FULL_ADMIN'] },
      { id: 70, uid: 950, username: 'truenas_admin', fullName: 'Local Administrator', roles: ['FULL_ADMIN'], admin: true },
      { id: 71, uid: 3000, username: 'ro_admin', fullName: 'Read-only Admin', roles: ['READONLY_ADMIN'] },
      { id: 72, uid: 3001, username: 'key_writer', fullName: 'API Key Writer', roles: ['API_KEY_WRITE'] },
      { id: 73, uid: 3002, username: 'share_admin', fullName: 'Sharing Admin', roles: ['SHARING_ADMIN'] },
      { id: 74, uid: 3003, username: 'no_roles', fullName: 'Unprivileged User', roles: [] },
      { id: 75, uid: 3004, username: 'otp_admin', fullName: 'Admin With 2FA', roles: ['FULL_ADMIN'], otpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
      // Service accounts (truenas-accounts.md §1 call sequences): a read-only one in the built-in
      // group 951, and a replication one whose group holds a custom privilege.
      { id: 76, uid: 3005, username: 'svc-ro', fullName: 'Read-only service', passwordDisabled: true, groups: ['truenas_readonly_administrators'] },
      { id: 77, uid: 3006, username: 'svc-repl', fullName: 'Replication service', passwordDisabled: true, groups: ['replicators'] },
    ],
    groups: [{ id: 50, gid: 3100, name: 'replicators', smb: false }],
    privileges: [{ name: 'Replication', localGroups: [3100], roles: ['REPLICATION_ADMIN', 'REPLICATION_TASK_WRITE_PULL'], webShell: false }],
    keys: [
      { name: 'ci-backup', owner: 'truenas_admin', createdAt: 'now-90d' },
      {
        name: 'monitoring',
        owner: 'ro_admin',
        createdAt: 'now-60d',
        expiresAt: 'now+180d',
        allowlist: [
          { method: 'CALL', resource: 'system.info' },
          { method: 'SUBSCRIBE', resource: 'alert.list' },
        ],
      },
      { name: 'expiring-soon', owner: 'key_writer', createdAt: 'now-30d', expiresAt: 'now+3d' },
      { name: 'expired-report', owner: 'truenas_admin', createdAt: 'now-120d', expiresAt: 'now-5d' },
      { name: 'revoked-insecure', owner: 'truenas_admin', createdAt: 'now-20d', revoked: true, revokedReason: 'Attempt to use over an insecure transport' },
      { name: 'legacy-migrated', owner: 'LEGACY_API_KEY', createdAt: 'now-400d', revoked: true, revokedReason: 'Unknown reason' },
      { name: 'legacy-admin', owner: 'LEGACY_API_KEY', createdAt: 'now-380d' },
      { name: 'departed-user', owner: { sid: 'S-1-5-21-3623811015-3361044348-30300820-1013' }, createdAt: 'now-200d' },
      { name: 'otp-admin-cli', owner: 'otp_admin', createdAt: 'now-10d', expiresAt: 'now+365d' },
      { name: 'svc-ro-monitor', owner: 'svc-ro', createdAt: 'now-15d' },
      { name: 'svc-repl-push', owner: 'svc-repl', createdAt: 'now-12d' },
      // Created before the upgrade to 25.x and never used since: still a pbkdf2-sha256 hash.
      { name: 'pre-upgrade-cli', owner: 'truenas_admin', createdAt: 'now-95d', keyhash: 'sha256' },
    ],
    audit: [
      { at: 'now-2d', username: 'svc-ro', address: '192.168.1.20', key: 'svc-ro-monitor' },
      { at: 'now-1d', username: 'svc-repl', address: '192.168.1.30', key: 'svc-repl-push' },
      { at: 'now-6h', username: 'truenas_admin', address: '192.168.1.10' },
      { at: 'now-3h', username: 'truenas_admin', address: '203.0.113.7', success: false, error: 'Bad username or password' },
      // Older than the 7-day retention: audit.query no longer returns it.
      { at: 'now-9d', username: 'svc-ro', address: '192.168.1.20', key: 'svc-ro-monitor' },
    ],
  };
}
