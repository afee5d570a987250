/**
 * The `privilege` namespace (22.12+; here 24.10+): query/get_instance/create/update/delete and
 * `privilege.roles` (MW@TS-25.10.6:plugins/account_/privilege.py, privilege_roles.py,
 * api/v25_10_5/privilege.py). `local_groups` takes GIDs.
 */
import type { PrivilegeRecord } from '../accounts.js';
import type { CallContext, MethodDef } from '../context.js';
import { CallError, ERRNO, Verrors, instanceNotFound } from '../errors.js';
import { parseQuery, runQuery, type Row } from '../query.js';
import { roleTable } from '../roles.js';
import { checkFields, type FieldSpec } from './account-args.js';
import { collection } from './collection.js';
import { checkArity, intArg } from './args.js';
import { groupRow } from './group.js';

function privilegeRow(ctx: CallContext, p: PrivilegeRecord): Row {
  const accounts = ctx.sim.store.accounts;
  return {
    id: p.id,
    builtin_name: p.builtinName,
    name: p.name,
    // A GID without a local group shows as {gid, group: null, sid: null} (`_local_groups`).
    local_groups: p.localGroups.map((gid) => {
      const g = accounts.groupByGid(gid);
      return g ? groupRow(ctx, g) : { gid, group: null, sid: null };
    }),
    ds_groups: [],
    roles: [...p.roles],
    web_shell: p.webShell,
  };
}

function rows(ctx: CallContext): Row[] {
  return ctx.sim.store.accounts.privileges.map((p) => privilegeRow(ctx, p));
}

const { query, getInstance } = collection('Privilege', rows);

const FIELDS: Record<string, FieldSpec> = {
  name: { kind: 'nestr', required: true },
  local_groups: { kind: 'intlist' },
  ds_groups: { kind: 'mixedlist' },
  roles: { kind: 'strlist' },
  web_shell: { kind: 'bool', required: true },
};

/** `_validate` (privilege.py:174-212): unique name, existing local GIDs, known roles. */
function validate(ctx: CallContext, schema: string, data: { name: string; localGroups: number[]; dsGroups: Array<number | string>; roles: string[] }, id?: number): void {
  const accounts = ctx.sim.store.accounts;
  const v = new Verrors();
  if (accounts.privileges.some((p) => p.name === data.name && p.id !== id)) v.add(`${schema}.name`, 'Object with this name already exists');
  data.localGroups.forEach((gid, i) => {
    if (!accounts.groupByGid(gid)) {
      v.add(
        `${schema}.local_groups.${i}`,
        `${gid}: local group does not exist. This error may be addressed by either re-creating the missing group with the specified group id or removing this entry from the privilege.`,
      );
    }
  });
  // Without a directory service no domain group resolves.
  data.dsGroups.forEach((g, i) => {
    v.add(
      `${schema}.ds_groups.${i}`,
      `${g}: directory service group does not exist. If the directory service state is healthy, then this error may be addressed by removing this entry from the privilege.`,
    );
  });
  const known = roleTable(ctx.profile.n);
  data.roles.forEach((role, i) => {
    if (!(role in known)) v.add(`${schema}.roles.${i}`, 'Invalid role');
  });
  v.check();
}

function create(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, ['privilege_create']);
  const schema = 'privilege_create';
  const data = checkFields(ctx, schema, 'PrivilegeCreate', params[0], FIELDS, true);
  const fields = {
    name: data.name as string,
    localGroups: [...((data.local_groups as number[] | undefined) ?? [])],
    dsGroups: [...((data.ds_groups as Array<number | string> | undefined) ?? [])],
    roles: [...((data.roles as string[] | undefined) ?? [])],
  };
  validate(ctx, schema, fields);
  const accounts = ctx.sim.store.accounts;
  const record: PrivilegeRecord = { id: accounts.nextPrivilegeId(), builtinName: null, ...fields, webShell: data.web_shell as boolean };
  accounts.privileges.push(record);
  accounts.recompute();
  return privilegeRow(ctx, record);
}

function update(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, ['id', 'privilege_update']);
  const id = intArg(ctx, params[0], 'id');
  const schema = 'privilege_update';
  const accounts = ctx.sim.store.accounts;
  const old = accounts.privileges.find((p) => p.id === id);
  if (!old) throw instanceNotFound('Privilege', id);
  const data = checkFields(ctx, schema, 'PrivilegeUpdate', params[1], FIELDS, false);
  const next = {
    name: (data.name as string | undefined) ?? old.name,
    localGroups: [...((data.local_groups as number[] | undefined) ?? old.localGroups)],
    dsGroups: [...((data.ds_groups as Array<number | string> | undefined) ?? old.dsGroups)],
    roles: [...((data.roles as string[] | undefined) ?? old.roles)],
    webShell: (data.web_shell as boolean | undefined) ?? old.webShell,
  };
  const v = new Verrors();
  if (old.builtinName) {
    if (next.name !== old.name) v.add(`${schema}.name`, 'This field is read-only for built-in privileges');
    if (JSON.stringify(next.roles) !== JSON.stringify(old.roles)) v.add(`${schema}.roles`, 'This field is read-only for built-in privileges');
    if (old.builtinName === 'LOCAL_ADMINISTRATOR') {
      if (!next.localGroups.includes(544)) {
        v.add(`${schema}.local_groups`, 'The group builtin_administrators must be among grantees of the "Local Administrator" privilege.');
      }
      const withPassword = accounts.users.some((u) => !u.passwordDisabled && accounts.gidsOf(u).some((gid) => next.localGroups.includes(gid)));
      if (!withPassword) {
        v.add(
          `${schema}.local_groups`,
          'None of the members of these groups has password login enabled. At least one grantee of the "Local Administrator" privilege must have password login enabled.',
        );
      }
    } else if (old.builtinName === 'READONLY_ADMINISTRATOR' && next.webShell) {
      v.add(`${schema}.web_shell`, 'Web shell access may not be enabled for the built-in group for read-only administrators.');
    }
  }
  v.check();
  validate(ctx, schema, next, id);
  Object.assign(old, next);
  accounts.recompute();
  return privilegeRow(ctx, old);
}

function remove(ctx: CallContext, params: unknown[]): boolean {
  checkArity(ctx, params, ['id']);
  const id = intArg(ctx, params[0], 'id');
  const accounts = ctx.sim.store.accounts;
  const record = accounts.privileges.find((p) => p.id === id);
  if (!record) throw instanceNotFound('Privilege', id);
  if (record.builtinName) throw new CallError('Unable to delete built-in privilege', ERRNO.EPERM);
  accounts.privileges = accounts.privileges.filter((p) => p.id !== id);
  accounts.recompute();
  return true;
}

/** `privilege.roles`: every role of the release (24.10 without `stig`); any authenticated session. */
function roles(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['filters', 'options'], 0);
  const entries = Object.entries(roleTable(ctx.profile.n)).map(([name, [includes, builtin, stig]]) => {
    const row: Row = { name, title: name, includes: [...includes], builtin };
    if (ctx.profile.n >= 2504) row.stig = stig;
    return row;
  });
  return runQuery(ctx.profile, entries, parseQuery(ctx.profile, params[0], params[1]));
}

export const privilegeMethods: MethodDef[] = [
  { name: 'privilege.query', since: 2404, authz: () => ['PRIVILEGE_READ'], handler: query },
  { name: 'privilege.get_instance', since: 2404, authz: () => ['PRIVILEGE_READ'], handler: getInstance },
  { name: 'privilege.create', since: 2404, authz: () => ['PRIVILEGE_WRITE'], handler: create },
  { name: 'privilege.update', since: 2404, authz: () => ['PRIVILEGE_WRITE'], handler: update },
  { name: 'privilege.delete', since: 2404, authz: () => ['PRIVILEGE_WRITE'], handler: remove },
  { name: 'privilege.roles', since: 2404, authz: () => 'none', handler: roles },
];
