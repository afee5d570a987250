/**
 * The `user` namespace: query/get_instance/create/update/delete of local users
 * (MW@TS-25.10.6:plugins/account.py, api/v25_10_5/user.py). Roles ACCOUNT_READ / ACCOUNT_WRITE
 * (role_prefix ACCOUNT) from 24.04; full admin on 22.02.
 */
import { DEFAULT_HOME, NO_PASSWORD_HASH, NOLOGIN_SHELL, type UserRecord } from '../accounts.js';
import type { CallContext, MethodDef } from '../context.js';
import { hashPassword } from '../crypto.js';
import { CallError, ERRNO, Verrors, instanceNotFound } from '../errors.js';
import type { Row } from '../query.js';
import { encodeDate } from '../wire.js';
import { checkFields, nameProblem, pwCheckname, type FieldSpec } from './account-args.js';
import { collection } from './collection.js';
import { checkArity, intArg, isDict, pydantic } from './args.js';

const SHELLS = ['/usr/bin/bash', '/usr/bin/rbash', '/usr/bin/dash', '/usr/bin/sh', '/usr/bin/zsh', '/usr/bin/tmux', NOLOGIN_SHELL];
/** Built-in groups a user may join (ALLOWED_BUILTIN_GIDS): the admin and role groups and builtin_users. */
const ALLOWED_BUILTIN_GIDS = [544, 545, 951, 952];

/** One `user.query` entry. guess: a subset of the real fields; hashes are left out. */
export function userRow(ctx: CallContext, u: UserRecord): Row {
  const store = ctx.sim.store;
  const accounts = store.accounts;
  const group = accounts.groupById(u.groupId);
  const row: Row = {
    id: u.id,
    uid: u.uid,
    username: u.username,
    home: u.home,
    shell: u.shell,
    full_name: u.fullName,
    builtin: u.builtin,
    smb: u.smb,
    group: { id: u.groupId, bsdgrp_gid: group?.gid ?? null, bsdgrp_group: group?.name ?? null, bsdgrp_builtin: group?.builtin ?? false },
    groups: [...u.groupIds],
    password_disabled: u.passwordDisabled,
    ssh_password_enabled: false,
    sshpubkey: u.sshpubkey,
    locked: u.locked,
    sudo_commands: [...u.sudoCommands],
    sudo_commands_nopasswd: [...u.sudoCommandsNopasswd],
    email: u.email,
    local: true,
    immutable: u.immutable,
    twofactor_auth_configured: Boolean(u.otpSecret),
    sid: null,
  };
  if (ctx.profile.n >= 2504) {
    row.last_password_change = u.passwordDisabled ? null : encodeDate(Date.now() - 30 * 86_400_000, false);
    row.password_age = u.passwordDisabled ? null : 30;
    row.password_change_required = false;
  }
  if (ctx.profile.n >= 2404) row.roles = [...u.roles];
  if (ctx.profile.n >= 2504) row.api_keys = store.keysOwnedBy(u).map((k) => k.id);
  return row;
}

function rows(ctx: CallContext): Row[] {
  return ctx.sim.store.users.map((u) => userRow(ctx, u));
}

const { query, getInstance } = collection('User', rows);

const COMMON: Record<string, FieldSpec> = {
  username: { kind: 'str', required: true },
  full_name: { kind: 'nestr', required: true },
  home: { kind: 'nestr' },
  shell: { kind: 'nestr' },
  smb: { kind: 'bool' },
  group: { kind: 'int?' },
  groups: { kind: 'intlist' },
  password_disabled: { kind: 'bool' },
  ssh_password_enabled: { kind: 'bool' },
  sshpubkey: { kind: 'str?' },
  locked: { kind: 'bool' },
  sudo_commands: { kind: 'strlist' },
  sudo_commands_nopasswd: { kind: 'strlist' },
  email: { kind: 'str?' },
  home_create: { kind: 'bool' },
  home_mode: { kind: 'str' },
  password: { kind: 'str?' },
  random_password: { kind: 'bool' },
};
const CREATE: Record<string, FieldSpec> = { ...COMMON, uid: { kind: 'int?' }, group_create: { kind: 'bool' } };
const UPDATE: Record<string, FieldSpec> = Object.fromEntries(Object.entries(COMMON).map(([k, v]) => [k, { kind: v.kind }]));

/** The checks shared by create and update (`user.common_validation`), in the source's order. */
function commonValidation(ctx: CallContext, v: Verrors, schema: string, data: Row, old?: UserRecord): void {
  const accounts = ctx.sim.store.accounts;
  const others = accounts.users.filter((u) => u.id !== old?.id);
  if (typeof data.uid === 'number' && accounts.users.some((u) => u.uid === data.uid)) {
    const holder = accounts.users.find((u) => u.uid === data.uid)!;
    v.add(`${schema}.uid`, `Uid ${data.uid} is already used (user ${holder.username} has it)`, ERRNO.EEXIST);
  }
  if (typeof data.username === 'string') {
    pwCheckname((msg) => v.add(`${schema}.username`, msg), data.username);
    if (others.some((u) => u.username === data.username)) v.add(`${schema}.username`, `The username "${data.username}" already exists.`, ERRNO.EEXIST);
  }
  const smb = data.smb ?? old?.smb ?? true;
  const disabled = data.password_disabled ?? old?.passwordDisabled ?? false;
  if (smb && disabled) v.add(`${schema}.password_disabled`, 'Password authentication may not be disabled for SMB users.');
  const password = data.password;
  if (!old && !password && !data.random_password && !data.password_disabled) v.add(`${schema}.password`, 'Password is required');
  else if (data.password_disabled && password) v.add(`${schema}.password_disabled`, 'Leave "Password" blank when "Disable password login" is checked.');
  if (Array.isArray(data.groups)) {
    if (data.groups.length > 64) v.add(`${schema}.groups`, 'A user cannot belong to more than 64 auxiliary groups.');
    data.groups.forEach((id, i) => {
      const g = typeof id === 'number' ? accounts.groupById(id) : undefined;
      if (!g) v.add(`${schema}.groups.${i}`, 'This group does not exist.');
      else if (g.builtin && !ALLOWED_BUILTIN_GIDS.includes(g.gid)) v.add(`${schema}.groups.${i}`, `${g.name}: membership of this builtin group may not be altered.`);
    });
  }
  if (typeof data.full_name === 'string') {
    for (const c of [':', '\n']) if (data.full_name.includes(c)) v.add(`${schema}.full_name`, `The ${c === ':' ? "':'" : "'\\n'"} character is not allowed.`);
  }
  if (typeof data.shell === 'string' && !SHELLS.includes(data.shell)) v.add(`${schema}.shell`, 'Please select a valid shell.');
  if (typeof data.home === 'string' && data.home !== DEFAULT_HOME && !data.home.startsWith('/mnt/')) {
    // guess: the real check also wants the path to exist inside a pool.
    v.add(`${schema}.home`, '"Home Directory" must begin with /mnt or set to /var/empty.');
  }
}

/** pydantic's LocalUsername validator (25.04+). */
function usernameValidator(ctx: CallContext, v: Verrors, schema: string, name: unknown): void {
  if (!pydantic(ctx) || typeof name !== 'string') return;
  const problem = nameProblem(name, /[A-Za-z_]/, 32);
  if (problem) v.add(`${schema}.username`, `Value error, ${problem}`);
}

function create(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, ['user_create']);
  const schema = 'user_create';
  const data = checkFields(ctx, schema, 'UserCreate', params[0], CREATE, true);
  const pre = new Verrors();
  usernameValidator(ctx, pre, schema, data.username);
  if (typeof data.uid === 'number' && (data.uid < 0 || data.uid > 90_000_000)) pre.add(`${schema}.uid`, 'Input should be less than or equal to 90000000');
  pre.check();
  const accounts = ctx.sim.store.accounts;
  const v = new Verrors();
  const groupCreate = data.group_create === true;
  const group = data.group ?? null;
  if ((!group && !groupCreate) || (group !== null && groupCreate)) v.add(`${schema}.group`, 'Enter either a group name or create a new group to continue.');
  commonValidation(ctx, v, schema, data);
  v.check();
  const username = data.username as string;
  let primaryId: number;
  if (groupCreate) {
    // An existing group of that name is reused; otherwise a new non-SMB group (create_internal).
    const existing = accounts.groupByName(username);
    if (existing) primaryId = existing.id;
    else {
      primaryId = accounts.nextGroupId();
      accounts.groups.push({ id: primaryId, gid: accounts.nextGid(), name: username, builtin: false, smb: false, sudoCommands: [], sudoCommandsNopasswd: [] });
    }
  } else {
    if (!accounts.groupById(group as number)) {
      const missing = new Verrors();
      missing.add(`${schema}.group`, `Group ${String(group)} not found`, ERRNO.ENOENT);
      missing.check();
    }
    primaryId = group as number;
  }
  const smb = data.smb !== false;
  const aux = new Set((data.groups as number[] | undefined) ?? []);
  if (smb) aux.add(accounts.groupByName('builtin_users')!.id);
  const disabled = data.password_disabled === true;
  const password = typeof data.password === 'string' ? data.password : data.random_password === true ? randomPassword() : '';
  const user: UserRecord = {
    id: accounts.nextUserId(),
    uid: (data.uid as number | null | undefined) ?? accounts.nextUid(),
    username,
    fullName: data.full_name as string,
    builtin: false,
    roles: [],
    password,
    passwordHash: disabled || !password ? NO_PASSWORD_HASH : hashPassword(password),
    locked: data.locked === true,
    email: (data.email as string | null | undefined) ?? null,
    home: (data.home as string | undefined) ?? DEFAULT_HOME,
    shell: (data.shell as string | undefined) ?? '/usr/bin/zsh',
    smb,
    passwordDisabled: disabled,
    groupId: primaryId,
    groupIds: [...aux].filter((id) => id !== primaryId),
    sshpubkey: (data.sshpubkey as string | null | undefined) ?? null,
    immutable: false,
    sudoCommands: [...((data.sudo_commands as string[] | undefined) ?? [])],
    sudoCommandsNopasswd: [...((data.sudo_commands_nopasswd as string[] | undefined) ?? [])],
  };
  accounts.users.push(user);
  accounts.recompute();
  // The result is the query entry plus the password (the generated one for random_password).
  return { ...userRow(ctx, user), password: typeof data.password === 'string' || data.random_password === true ? password : null };
}

function randomPassword(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 20; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

function update(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, ['id', 'user_update']);
  const id = intArg(ctx, params[0], 'id');
  const schema = 'user_update';
  const accounts = ctx.sim.store.accounts;
  const user = accounts.users.find((u) => u.id === id);
  if (!user) throw instanceNotFound('User', id);
  const data = checkFields(ctx, schema, 'UserUpdate', params[1], UPDATE, false);
  const pre = new Verrors();
  usernameValidator(ctx, pre, schema, data.username);
  pre.check();
  const v = new Verrors();
  commonValidation(ctx, v, schema, data, user);
  if (data.group !== undefined && data.group !== null && !accounts.groupById(data.group as number)) v.add(`${schema}.group`, `Group ${String(data.group)} not found`, ERRNO.ENOENT);
  v.check();
  if (typeof data.username === 'string') user.username = data.username;
  if (typeof data.full_name === 'string') user.fullName = data.full_name;
  if (typeof data.home === 'string') user.home = data.home;
  if (typeof data.shell === 'string') user.shell = data.shell;
  if (typeof data.smb === 'boolean') user.smb = data.smb;
  if (typeof data.group === 'number') user.groupId = data.group;
  if (Array.isArray(data.groups)) user.groupIds = (data.groups as number[]).filter((g) => g !== user.groupId);
  if (typeof data.locked === 'boolean') user.locked = data.locked;
  if (data.email !== undefined) user.email = data.email as string | null;
  if (data.sshpubkey !== undefined) user.sshpubkey = data.sshpubkey as string | null;
  if (typeof data.password_disabled === 'boolean') {
    user.passwordDisabled = data.password_disabled;
    if (data.password_disabled) {
      user.password = '';
      user.passwordHash = NO_PASSWORD_HASH;
    }
  }
  if (typeof data.password === 'string') {
    user.password = data.password;
    user.passwordHash = hashPassword(data.password);
  }
  accounts.recompute();
  return { ...userRow(ctx, user), password: typeof data.password === 'string' ? data.password : null };
}

/**
 * user.delete (MW@TS-25.10.6:plugins/account.py:1019-1110). The user's API keys are left in
 * place: their owner no longer resolves, so they show as revoked ("User does not exist").
 */
function remove(ctx: CallContext, params: unknown[]): number {
  checkArity(ctx, params, ['id', 'options'], 1);
  const id = intArg(ctx, params[0], 'id');
  const options = params[1] ?? {};
  if (!isDict(options)) {
    const v = new Verrors();
    v.add('options', pydantic(ctx) ? 'Input should be a valid dictionary or instance of UserDeleteOptions' : 'A dict was expected');
    v.check();
  }
  const opts = options as Row;
  for (const key of Object.keys(opts)) {
    if (key !== 'delete_group') {
      const v = new Verrors();
      v.add(`options.${key}`, pydantic(ctx) ? 'Extra inputs are not permitted' : 'Field was not expected');
      v.check();
    }
  }
  if ('delete_group' in opts && typeof opts.delete_group !== 'boolean') {
    const v = new Verrors();
    v.add('options.delete_group', pydantic(ctx) ? 'Input should be a valid boolean' : 'Not a boolean');
    v.check();
  }
  const accounts = ctx.sim.store.accounts;
  const user = accounts.users.find((u) => u.id === id);
  if (!user) throw instanceNotFound('User', id);
  if (ctx.session.cred?.user?.username === user.username) throw new CallError('Cannot delete the currently active user', ERRNO.EINVAL);
  if (user.builtin) throw new CallError('Cannot delete a built-in user', ERRNO.EINVAL);
  if (user.immutable) throw new CallError('Cannot delete an immutable user', ERRNO.EINVAL);
  // privilege.before_user_delete: someone with a password must keep the Local Administrator privilege.
  const admins = accounts.users.filter((u) => u.id !== id && !u.passwordDisabled && accounts.gidsOf(u).includes(544));
  if (accounts.gidsOf(user).includes(544) && admins.length === 0) {
    throw new CallError("After deleting this user no local user will have built-in privilege 'Local Administrator'.", ERRNO.EACCES);
  }
  accounts.users = accounts.users.filter((u) => u.id !== id);
  const primary = accounts.groupById(user.groupId);
  if (opts.delete_group !== false && primary && !primary.builtin && accounts.membersOf(primary).length === 0) {
    accounts.groups = accounts.groups.filter((g) => g.id !== primary.id);
  }
  accounts.recompute();
  return id;
}

const read = (p: { n: number }) => (p.n < 2404 ? [] : ['ACCOUNT_READ']);
const write = (p: { n: number }) => (p.n < 2404 ? [] : ['ACCOUNT_WRITE']);

export const userMethods: MethodDef[] = [
  { name: 'user.query', authz: read, handler: query },
  { name: 'user.get_instance', authz: read, handler: getInstance },
  { name: 'user.create', authz: write, handler: create },
  { name: 'user.update', authz: write, handler: update },
  { name: 'user.delete', authz: write, handler: remove },
];
