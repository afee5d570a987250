/**
 * The `group` namespace: query/get_instance/create/delete (MW@TS-25.10.6:plugins/account.py
 * GroupService, api/v25_10_5/group.py). `group.create` returns the database id, not the GID.
 */
import type { GroupRecord } from '../accounts.js';
import type { CallContext, MethodDef } from '../context.js';
import { CallError, ERRNO, Verrors, instanceNotFound } from '../errors.js';
import type { Row } from '../query.js';
import { checkFields, nameProblem, pwCheckname, type FieldSpec } from './account-args.js';
import { collection } from './collection.js';
import { checkArity, intArg, isDict, pydantic } from './args.js';

export function groupRow(ctx: CallContext, g: GroupRecord): Row {
  const accounts = ctx.sim.store.accounts;
  const row: Row = {
    id: g.id,
    gid: g.gid,
    name: g.name,
    builtin: g.builtin,
    sudo_commands: [...g.sudoCommands],
    sudo_commands_nopasswd: [...g.sudoCommandsNopasswd],
    smb: g.smb,
  };
  if (ctx.profile.n >= 2510) row.userns_idmap = null;
  row.group = g.name;
  row.local = true;
  // guess: a plausible local SID for SMB groups (the real one derives from the server SID).
  row.sid = g.smb ? `S-1-5-21-3623811015-3361044348-30300820-${200000 + g.id}` : null;
  if (ctx.profile.n >= 2404) row.roles = accounts.rolesOfGid(g.gid);
  row.users = accounts.membersOf(g);
  // Built-in groups are immutable unless they are among the allowed built-in GIDs.
  row.immutable = g.builtin && ![544, 545, 951, 952].includes(g.gid);
  return row;
}

function rows(ctx: CallContext): Row[] {
  return ctx.sim.store.accounts.groups.map((g) => groupRow(ctx, g));
}

const { query, getInstance } = collection('Group', rows);

const CREATE: Record<string, FieldSpec> = {
  name: { kind: 'str', required: true },
  gid: { kind: 'int?' },
  smb: { kind: 'bool' },
  sudo_commands: { kind: 'strlist' },
  sudo_commands_nopasswd: { kind: 'strlist' },
  users: { kind: 'intlist' },
};

function create(ctx: CallContext, params: unknown[]): number {
  checkArity(ctx, params, ['group_create']);
  const schema = 'group_create';
  const data = checkFields(ctx, schema, 'GroupCreate', params[0], CREATE, true);
  const name = data.name as string;
  const pre = new Verrors();
  if (pydantic(ctx)) {
    // GroupName: may start with a digit or '.', no length cap (MW@TS-25.10.6:api/base/types/user.py).
    const problem = nameProblem(name, /[A-Za-z0-9_.]/, null);
    if (problem) pre.add(`${schema}.name`, `Value error, ${problem}`);
  }
  if (typeof data.gid === 'number' && (data.gid < 0 || data.gid > 90_000_000)) pre.add(`${schema}.gid`, 'Input should be less than or equal to 90000000');
  pre.check();
  const accounts = ctx.sim.store.accounts;
  const v = new Verrors();
  const smb = data.smb !== false;
  if (smb && accounts.groups.some((g) => g.smb && g.name.toLowerCase() === name.toLowerCase())) {
    v.add(
      `${schema}.name`,
      `Group name "${name}" conflicts with existing groupmap entry. SMB group mapping is not permitted for this group. Note that SMB group names are case-insensitive.`,
      ERRNO.EEXIST,
    );
  }
  if (accounts.groupByName(name)) v.add(`${schema}.name`, `A Group with the name "${name}" already exists.`, ERRNO.EEXIST);
  pwCheckname((msg) => v.add(`${schema}.name`, msg), name);
  if (typeof data.gid === 'number') {
    const holder = accounts.groupByGid(data.gid);
    if (holder) v.add(`${schema}.gid`, `Gid ${data.gid} is already used (group ${holder.name} has it)`, ERRNO.EEXIST);
    const priv = accounts.privileges.find((p) => p.localGroups.includes(data.gid as number));
    if (priv) v.add(`${schema}.gid`, `A privilege '${priv.name}' already uses this group ID.`);
  }
  const users = (data.users as number[] | undefined) ?? [];
  const root = accounts.users.find((u) => u.username === 'root');
  if (root && users.includes(root.id)) v.add(`${schema}.users`, 'Cannot add the root user to this group');
  const missing = users.filter((id) => !accounts.users.some((u) => u.id === id));
  if (missing.length) v.add(`${schema}.users`, `Following users do not exist: ${[...new Set(missing)].join(', ')}`);
  v.check();
  const group: GroupRecord = {
    id: accounts.nextGroupId(),
    gid: (data.gid as number | null | undefined) ?? accounts.nextGid(),
    name,
    builtin: false,
    smb,
    sudoCommands: [...((data.sudo_commands as string[] | undefined) ?? [])],
    sudoCommandsNopasswd: [...((data.sudo_commands_nopasswd as string[] | undefined) ?? [])],
  };
  accounts.groups.push(group);
  for (const u of accounts.users) if (users.includes(u.id) && u.groupId !== group.id) u.groupIds.push(group.id);
  accounts.recompute();
  return group.id;
}

/** group.delete (MW@TS-25.10.6:plugins/account.py:2157-2215): members whose primary group it was move to nogroup. */
function remove(ctx: CallContext, params: unknown[]): number {
  checkArity(ctx, params, ['id', 'options'], 1);
  const id = intArg(ctx, params[0], 'id');
  const options = params[1] ?? {};
  const v = new Verrors();
  if (!isDict(options)) v.add('options', pydantic(ctx) ? 'Input should be a valid dictionary or instance of GroupDeleteOptions' : 'A dict was expected');
  else {
    for (const key of Object.keys(options)) if (key !== 'delete_users') v.add(`options.${key}`, pydantic(ctx) ? 'Extra inputs are not permitted' : 'Field was not expected');
    if ('delete_users' in options && typeof options.delete_users !== 'boolean') v.add('options.delete_users', pydantic(ctx) ? 'Input should be a valid boolean' : 'Not a boolean');
  }
  v.check();
  const accounts = ctx.sim.store.accounts;
  const group = accounts.groupById(id);
  if (!group) throw instanceNotFound('Group', id);
  if (group.builtin) throw new CallError('A built-in group cannot be deleted.', ERRNO.EACCES);
  const priv = accounts.privileges.find((p) => p.localGroups.includes(group.gid));
  if (priv) {
    throw new CallError(`This group is used by privilege '${priv.name}'. Please remove it from that privilege first, then delete the group.`, ERRNO.EACCES);
  }
  const deleteUsers = isDict(options) && options.delete_users === true;
  const nogroup = accounts.groupByName('nogroup')!;
  if (deleteUsers) accounts.users = accounts.users.filter((u) => u.groupId !== id);
  for (const u of accounts.users) {
    if (u.groupId === id) u.groupId = nogroup.id;
    u.groupIds = u.groupIds.filter((g) => g !== id);
  }
  accounts.groups = accounts.groups.filter((g) => g.id !== id);
  accounts.recompute();
  return id;
}

const read = (p: { n: number }) => (p.n < 2404 ? [] : ['ACCOUNT_READ']);
const write = (p: { n: number }) => (p.n < 2404 ? [] : ['ACCOUNT_WRITE']);

export const groupMethods: MethodDef[] = [
  { name: 'group.query', authz: read, handler: query },
  { name: 'group.get_instance', authz: read, handler: getInstance },
  { name: 'group.create', authz: write, handler: create },
  { name: 'group.delete', authz: write, handler: remove },
];
