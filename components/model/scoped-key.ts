/**
 * Scoped keys: a key that cannot do everything. On 25.04+ a key acts with its owner's roles, so a
 * scoped key is a key owned by a service account whose group holds a privilege
 * (truenas-accounts.md §1); on 22.02/24.10 it is a key with an allowlist preset. This file plans
 * what will be created, before anything is; the connection library (or a test double) runs the
 * plan. Pure data and functions: no Lit, no transport.
 */
import type { AllowlistEntry, ApiKey, FieldError, HasFieldErrors, HostCapabilities } from './api-key.js';

export type ScopedPurpose = 'read-only' | 'snapshots' | 'replication' | 'sharing' | 'custom';
export const SCOPED_PURPOSES: readonly ScopedPurpose[] = ['read-only', 'snapshots', 'replication', 'sharing', 'custom'];

export interface ScopedKeyInput {
  /** The key's name; the service account's names derive from it. */
  name: string;
  purpose: ScopedPurpose;
  /** `custom` on 25.04+: roles from `privilege.roles`. */
  roles?: readonly string[];
  /** `replication`: also allow pull replication (REPLICATION_TASK_WRITE_PULL). */
  pull?: boolean;
  /** `custom` on 22.02/24.10: the allowlist to give the key. */
  allowlist?: readonly AllowlistEntry[];
  /** 25.04+: expiry in epoch ms, or null/absent for none. */
  expiresAt?: number | null;
}

/** A role as `privilege.roles` lists it. */
export interface RoleInfo {
  name: string;
  /** Roles it implies (one level, as the NAS lists them). */
  includes: string[];
  builtin: boolean;
}

/** Names already in use on the NAS, so derived names do not collide (compared ignoring case). */
export interface TakenNames {
  usernames: readonly string[];
  groups: readonly string[];
  privileges: readonly string[];
  keys: readonly string[];
}

export const NOLOGIN_SHELL = '/usr/sbin/nologin';
export const SERVICE_HOME = '/var/empty';
/** The built-in read-only administrators group, bound to READONLY_ADMIN (MW@TS-25.10.6:alembic/versions/24.04/2024-01-15_20-10_builtin_roles_groups.py:23-34). */
export const READONLY_ADMINS_GID = 951;

export type ScopedKeyStep =
  /** Nothing is created: the account joins an existing built-in group. */
  | { kind: 'use-group'; gid: number; name: string; roles: string[] }
  | { kind: 'create-group'; name: string }
  | { kind: 'create-privilege'; name: string; roles: string[] }
  | { kind: 'create-user'; username: string; fullName: string; shell: string; home: string; passwordDisabled: true; smb: false }
  | { kind: 'create-key'; name: string; username: string | null; expiresAt: number | null; allowlist: AllowlistEntry[] | null };

export type ScopedStepKind = ScopedKeyStep['kind'];

export interface ScopedKeyPlan {
  /** `roles`: a service account (25.04+); `allowlist`: a key with an allowlist (22.02/24.10). */
  mode: 'roles' | 'allowlist';
  purpose: ScopedPurpose;
  keyName: string;
  /** The roles the key will act with (mode `roles`). */
  roles: string[];
  /** In order; nothing on the NAS changes until they run. */
  steps: ScopedKeyStep[];
  /** Things the admin should know before going ahead, in plain words. */
  notes: string[];
}

/** What a finished scoped-key flow created (database ids, for the record and for undoing by hand). */
export interface ScopedKeyCreated {
  groupId: number | null;
  privilegeId: number | null;
  userId: number | null;
  username: string | null;
}

/**
 * A failed run: which step failed and why, and whether undoing the earlier steps worked. Errors
 * that implement this are thrown by `createScopedKey`; read them with `scopedKeyFailureOf`.
 */
export interface ScopedKeyFailure {
  readonly failedStep: ScopedStepKind;
  /** Index into the plan's steps. */
  readonly stepIndex: number;
  /** The NAS's reason, in its words. */
  readonly reason: string;
  /** True when everything the run had created was removed again. */
  readonly undone: boolean;
  /** What is still on the NAS because undoing it failed, e.g. `user "svc-x" (id 80)`; empty when undone. */
  readonly leftOnNas: readonly string[];
}

export function scopedKeyFailureOf(error: unknown): ScopedKeyFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as Partial<ScopedKeyFailure>;
  return typeof e.failedStep === 'string' && typeof e.undone === 'boolean' && Array.isArray(e.leftOnNas) ? (e as ScopedKeyFailure) : null;
}

/** A scoped-key request that cannot be planned; `fieldErrors` place the message on its field. */
export class ScopedKeyInputError extends Error implements HasFieldErrors {
  readonly fieldErrors: readonly FieldError[];
  readonly field: string | null;
  constructor(message: string, field: string | null) {
    super(message);
    this.name = 'ScopedKeyInputError';
    this.field = field;
    this.fieldErrors = [{ path: null, field, message, errno: 22 }];
  }
}

/** Roles per purpose (truenas-accounts.md §1 call sequences; MW@TS-25.10.6:role.py:212-224). */
export const PURPOSE_ROLES: Readonly<Record<Exclude<ScopedPurpose, 'custom'>, readonly string[]>> = {
  'read-only': ['READONLY_ADMIN'],
  snapshots: ['SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE'],
  replication: ['REPLICATION_ADMIN'],
  sharing: ['SHARING_ADMIN'],
};

/**
 * Roles a scoped key never gets, and why. API_KEY_WRITE lets its holder manage every user's keys
 * (MW@TS-25.10.6:plugins/api_key.py:325-343); ACCOUNT_WRITE and PRIVILEGE_WRITE let it grant
 * itself any role (join the administrators group, edit its own privilege).
 */
export const REFUSED_ROLES: Readonly<Record<string, string>> = {
  FULL_ADMIN: 'FULL_ADMIN is full control of the NAS: a key with it is not scoped. Use an ordinary key if that is really meant.',
  API_KEY_WRITE:
    'API_KEY_WRITE lets the holder create, reset and delete the API keys of every user, including administrators, so a key with it can mint itself a full-access key.',
  ACCOUNT_WRITE: 'ACCOUNT_WRITE lets the holder add its own account to the administrators group, so a key with it can make itself a full administrator.',
  PRIVILEGE_WRITE: 'PRIVILEGE_WRITE lets the holder edit privileges, including its own, so a key with it can grant itself any role.',
};

/**
 * Legacy allowlist presets (22.02/24.10), one per purpose. Method patterns are the 24.10 API's
 * names (unverified against every release): reads are `*.query`, `*.get_instance`, `*.config`;
 * REST paths sit under /api/v2.0. An upgrade to 25.04 revokes every key whose allowlist is not
 * full access (MW@TS-25.04.2.6:alembic/versions/25.04/2024-10-08_18-48_user_api_key.py:19-38).
 */
export const LEGACY_ALLOWLIST_PRESETS: Readonly<Record<Exclude<ScopedPurpose, 'custom'>, readonly AllowlistEntry[]>> = {
  'read-only': [
    { method: 'CALL', resource: '*.query' },
    { method: 'CALL', resource: '*.get_instance' },
    { method: 'CALL', resource: '*.config' },
    { method: 'CALL', resource: 'system.info' },
    { method: 'CALL', resource: 'system.version' },
    { method: 'CALL', resource: 'core.get_jobs' },
    { method: 'SUBSCRIBE', resource: '*' },
    { method: 'GET', resource: '*' },
  ],
  snapshots: [
    { method: 'CALL', resource: 'zfs.snapshot.*' },
    { method: 'CALL', resource: 'pool.snapshottask.*' },
    { method: 'CALL', resource: 'pool.dataset.query' },
    { method: 'CALL', resource: 'core.get_jobs' },
    { method: 'SUBSCRIBE', resource: 'core.get_jobs' },
    { method: '*', resource: '/api/v2.0/zfs/snapshot*' },
    { method: '*', resource: '/api/v2.0/pool/snapshottask*' },
  ],
  replication: [
    { method: 'CALL', resource: 'replication.*' },
    { method: 'CALL', resource: 'zfs.snapshot.*' },
    { method: 'CALL', resource: 'pool.snapshottask.*' },
    { method: 'CALL', resource: 'keychaincredential.*' },
    { method: 'CALL', resource: 'pool.dataset.query' },
    { method: 'CALL', resource: 'pool.query' },
    { method: 'CALL', resource: 'core.get_jobs' },
    { method: 'SUBSCRIBE', resource: 'core.get_jobs' },
    { method: '*', resource: '/api/v2.0/replication*' },
  ],
  sharing: [
    { method: 'CALL', resource: 'sharing.*' },
    { method: 'CALL', resource: 'iscsi.*' },
    { method: 'CALL', resource: 'nfs.*' },
    { method: 'CALL', resource: 'smb.*' },
    { method: 'CALL', resource: 'pool.dataset.query' },
    { method: 'CALL', resource: 'service.query' },
    { method: 'CALL', resource: 'core.get_jobs' },
    { method: '*', resource: '/api/v2.0/sharing*' },
  ],
};

/** LocalUsername: first [A-Za-z_], then [A-Za-z0-9_.-], at most 32 (MW@TS-25.10.6:api/base/types/user.py). */
const USERNAME_MAX = 32;
/** Room for "svc-" + base + "-grp" within 32 characters, so the group name obeys the same limit. */
const BASE_MAX = USERNAME_MAX - 'svc-'.length - '-grp'.length;

/** A key name as a username part: lower-case ASCII letters, digits and single dashes. */
export function nameSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'key';
}

export interface ServiceNames {
  username: string;
  group: string;
  privilege: string;
}

/**
 * Names for the service account, its group and its privilege, derived from the key name and
 * unique among `taken` (ignoring case, as SMB group names are compared). `user.create` with
 * `group_create` reuses a group named like the user, so the username must not name a group either.
 */
export function serviceNames(keyName: string, taken: TakenNames): ServiceNames {
  const lower = (list: readonly string[]) => new Set(list.map((s) => s.toLowerCase()));
  const users = lower(taken.usernames);
  const groups = lower(taken.groups);
  const privileges = lower(taken.privileges);
  const slug = nameSlug(keyName);
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const base = slug.slice(0, BASE_MAX - suffix.length).replace(/-+$/, '') + suffix;
    const username = `svc-${base}`;
    const names = { username, group: `${username}-grp`, privilege: `${username} key access` };
    const free = !users.has(username) && !groups.has(username) && !groups.has(names.group) && !privileges.has(names.privilege.toLowerCase());
    if (free) return names;
  }
  throw new ScopedKeyInputError('Every service account name derived from this key name is taken; choose another key name.', 'name');
}

/** Every role `role` implies, itself included (`includes` is one level deep on the NAS). */
function closure(role: string, known: ReadonlyMap<string, RoleInfo>): Set<string> {
  const out = new Set<string>();
  const todo = [role];
  while (todo.length) {
    const r = todo.pop()!;
    if (out.has(r)) continue;
    out.add(r);
    todo.push(...(known.get(r)?.includes ?? []));
  }
  return out;
}

/** Throws when a role is refused, naming the role and why (also when it only implies a refused one). */
export function checkScopedRoles(roles: readonly string[], available: readonly RoleInfo[] | null): void {
  const known = new Map((available ?? []).map((r) => [r.name, r]));
  for (const role of roles) {
    for (const implied of closure(role, known)) {
      const why = REFUSED_ROLES[implied];
      if (why) {
        const via = implied === role ? '' : ` (${role} includes ${implied})`;
        throw new ScopedKeyInputError(`A scoped key cannot have ${implied}${via}. ${why}`, 'roles');
      }
    }
  }
}

function checkName(name: unknown, taken: TakenNames): string {
  if (typeof name !== 'string' || name.trim() === '') throw new ScopedKeyInputError('Give the key a name.', 'name');
  if (name.length > 200) throw new ScopedKeyInputError('The key name can have at most 200 characters.', 'name');
  if (taken.keys.some((k) => k === name)) throw new ScopedKeyInputError(`A key named “${name}” already exists; key names are unique.`, 'name');
  return name;
}

/** full_name may not hold ':' or a line break (MW@TS-25.10.6:plugins/account.py common_validation). */
function fullNameFor(keyName: string): string {
  const clean = keyName.replace(/[:\r\n]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `Service account for API key ${clean}`;
}

function rolesFor(input: ScopedKeyInput, available: readonly RoleInfo[] | null): string[] {
  if (input.purpose === 'custom') {
    const roles: unknown = input.roles;
    const list: unknown[] = Array.isArray(roles) ? roles : [];
    if (list.length === 0 || !list.every((r): r is string => typeof r === 'string' && r !== '')) {
      throw new ScopedKeyInputError('Pick at least one role for a custom scoped key.', 'roles');
    }
    const unique = [...new Set(list)];
    checkScopedRoles(unique, available);
    if (available) {
      const names = new Set(available.map((r) => r.name));
      const unknown = unique.filter((r) => !names.has(r));
      if (unknown.length) throw new ScopedKeyInputError(`This NAS has no role named ${unknown.join(', ')}.`, 'roles');
    }
    return unique;
  }
  const roles = [...PURPOSE_ROLES[input.purpose]];
  if (input.purpose === 'replication' && input.pull === true) roles.push('REPLICATION_TASK_WRITE_PULL');
  return roles;
}

function checkExpiry(expiresAt: unknown, now: number): number | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw new ScopedKeyInputError('The expiry date is not valid.', 'expiresAt');
  if (expiresAt <= now) throw new ScopedKeyInputError('The expiry date is in the past.', 'expiresAt');
  return expiresAt;
}

function checkAllowlist(list: unknown): AllowlistEntry[] {
  const methods: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'CALL', 'SUBSCRIBE', '*'];
  if (!Array.isArray(list) || list.length === 0) throw new ScopedKeyInputError('A custom key on this NAS needs at least one allowlist entry.', 'allowlist');
  return list.map((entry: unknown) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<AllowlistEntry>;
    if (typeof e.method !== 'string' || !methods.includes(e.method) || typeof e.resource !== 'string' || e.resource === '') {
      throw new ScopedKeyInputError('Each allowlist entry needs a method and a non-empty resource.', 'allowlist');
    }
    return { method: e.method, resource: e.resource };
  });
}

export interface PlanContext {
  taken: TakenNames;
  /** `privilege.roles` of the host (needed to check custom roles; null when unknown). */
  roles: readonly RoleInfo[] | null;
  now?: number;
}

/**
 * The exact steps a scoped key takes on this host, or a ScopedKeyInputError saying why it cannot
 * be made (a refused role, an unknown role, a taken key name). Nothing is sent anywhere.
 */
export function planScopedKey(input: ScopedKeyInput, caps: HostCapabilities, context: PlanContext): ScopedKeyPlan {
  if (typeof input !== 'object' || input === null) throw new ScopedKeyInputError('The scoped key details are missing.', null);
  if (!SCOPED_PURPOSES.includes(input.purpose)) throw new ScopedKeyInputError('Choose what the key is for.', 'purpose');
  const keyName = checkName(input.name, context.taken);
  const scoped = caps.scopedKeys ?? caps.userLinkedKeys;
  if (!scoped) {
    // 22.02/24.10: no roles for keys; the purpose becomes an allowlist (a single step).
    if (Array.isArray(input.roles) && input.roles.length > 0) throw new ScopedKeyInputError(`Keys on TrueNAS ${caps.version} have no roles; they are limited by an allowlist.`, 'roles');
    if (input.expiresAt !== undefined && input.expiresAt !== null) throw new ScopedKeyInputError(`Keys on TrueNAS ${caps.version} cannot expire (expiry arrived in 25.04).`, 'expiresAt');
    const allowlist = input.purpose === 'custom' ? checkAllowlist(input.allowlist) : LEGACY_ALLOWLIST_PRESETS[input.purpose].map((e) => ({ ...e }));
    return {
      mode: 'allowlist',
      purpose: input.purpose,
      keyName,
      roles: [],
      steps: [{ kind: 'create-key', name: keyName, username: null, expiresAt: null, allowlist }],
      notes: [
        `Upgrading this NAS to 25.04 or newer revokes every key whose allowlist is not full access, this one included: reset or replace it after the upgrade.`,
      ],
    };
  }
  if (input.allowlist !== undefined) throw new ScopedKeyInputError(`TrueNAS ${caps.version} keys have no allowlist; a key acts with its owner's roles.`, 'allowlist');
  const roles = rolesFor(input, context.roles);
  const expiresAt = checkExpiry(input.expiresAt, context.now ?? Date.now());
  const names = serviceNames(keyName, context.taken);
  const user: ScopedKeyStep = {
    kind: 'create-user',
    username: names.username,
    fullName: fullNameFor(keyName),
    shell: NOLOGIN_SHELL,
    home: SERVICE_HOME,
    passwordDisabled: true,
    smb: false,
  };
  const key: ScopedKeyStep = { kind: 'create-key', name: keyName, username: names.username, expiresAt, allowlist: null };
  const notes = ['The service account has no password, no SMB access and no shell: only this key can act as it.'];
  if (input.purpose === 'read-only') {
    return {
      mode: 'roles',
      purpose: input.purpose,
      keyName,
      roles,
      steps: [{ kind: 'use-group', gid: READONLY_ADMINS_GID, name: 'truenas_readonly_administrators', roles }, user, key],
      notes,
    };
  }
  return {
    mode: 'roles',
    purpose: input.purpose,
    keyName,
    roles,
    steps: [{ kind: 'create-group', name: names.group }, { kind: 'create-privilege', name: names.privilege, roles }, user, key],
    notes,
  };
}

/** One plain sentence per step, for the "this is what will be created" list. */
export function describeScopedStep(step: ScopedKeyStep): string {
  switch (step.kind) {
    case 'use-group':
      return `Use the built-in group “${step.name}” (GID ${step.gid}), which grants ${step.roles.join(', ')}; nothing new is created for it.`;
    case 'create-group':
      return `Create the group “${step.name}” (no SMB).`;
    case 'create-privilege':
      return `Create the privilege “${step.name}” granting that group ${step.roles.join(', ')} (no web shell).`;
    case 'create-user':
      return `Create the service account “${step.username}”: password login disabled, no SMB, shell ${step.shell}, home ${step.home}.`;
    case 'create-key':
      return step.allowlist
        ? `Create the API key “${step.name}” with an allowlist of ${step.allowlist.length} ${step.allowlist.length === 1 ? 'entry' : 'entries'}.`
        : `Create the API key “${step.name}” owned by “${step.username ?? ''}”${step.expiresAt !== null ? `, expiring ${new Date(step.expiresAt).toISOString().slice(0, 10)}` : ', never expiring'}.`;
  }
}

/** A created scoped key: the key with its one-time secret, what was created for it, and anything odd afterwards. */
export interface ScopedKeyResult {
  key: ApiKey;
  /** Handle like a password; show once and save. */
  secret: string;
  plan: ScopedKeyPlan;
  created: ScopedKeyCreated;
  /** Problems after the key existed (it is returned anyway), in plain words. */
  warnings: string[];
}
