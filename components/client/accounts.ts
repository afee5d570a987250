/**
 * Typed local accounts: `user.*`, `group.*`, `privilege.*` (MW@TS-25.10.6:plugins/account.py,
 * plugins/account_/privilege.py; api/v25_10_5/{user,group,privilege}.py), as the scoped-key flow
 * needs them. NAS rows become camelCase entries; errors keep their typed classes, with messages
 * that name no internal method.
 */
import type { RoleInfo } from '../model/scoped-key.js';
import type { TrueNasClient } from './client.js';
import { CallError, InvalidInputError, NotFoundError, ProtocolError, TrueNasError } from './errors.js';
import type { CallOptions, QueryFilter, QueryOptions } from './types.js';
import { isRecord } from './wire.js';

export interface AccountUser {
  /** Database id (what `user_identifier` and `user.delete` take). */
  id: number;
  uid: number;
  username: string;
  fullName: string;
  /** Effective roles (24.04+; empty before). */
  roles: string[];
  /** Primary group's database id, or null when not reported. */
  groupId: number | null;
  /** Auxiliary groups' database ids. */
  groupIds: number[];
  passwordDisabled: boolean;
  smb: boolean;
  shell: string | null;
  home: string | null;
  builtin: boolean;
  locked: boolean;
  local: boolean;
}

export interface AccountGroup {
  id: number;
  gid: number;
  name: string;
  builtin: boolean;
  smb: boolean;
  /** Roles granted to the group by privileges (24.04+). */
  roles: string[];
  /** Member users' database ids. */
  users: number[];
}

export interface Privilege {
  id: number;
  name: string;
  /** Set for the built-in privileges (LOCAL_ADMINISTRATOR, …). */
  builtinName: string | null;
  /** GIDs of the local groups it is granted to. */
  localGroupGids: number[];
  roles: string[];
  webShell: boolean;
}

/** A service account: no password, no SMB, nologin shell, home /var/empty (truenas-accounts.md §1). */
export interface ServiceUserInput {
  username: string;
  fullName: string;
  /** Auxiliary groups by database id. */
  groupIds: number[];
  shell: string;
  home: string;
}

export interface PrivilegeInput {
  name: string;
  /** GIDs, not database ids (MW@TS-25.10.6:plugins/account_/privilege.py:73). */
  localGroupGids: number[];
  roles: string[];
  webShell: boolean;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const ints = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x)) : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function normalizeAccountUser(row: unknown): AccountUser | null {
  if (!isRecord(row) || !Number.isSafeInteger(row.id) || typeof row.username !== 'string') return null;
  const group = isRecord(row.group) ? row.group.id : row.group;
  return {
    id: row.id as number,
    uid: Number.isSafeInteger(row.uid) ? (row.uid as number) : -1,
    username: row.username,
    fullName: str(row.full_name) ?? '',
    roles: strings(row.roles),
    groupId: Number.isSafeInteger(group) ? (group as number) : null,
    groupIds: ints(row.groups),
    passwordDisabled: row.password_disabled === true,
    smb: row.smb === true,
    shell: str(row.shell),
    home: str(row.home),
    builtin: row.builtin === true,
    locked: row.locked === true,
    local: row.local !== false,
  };
}

export function normalizeGroup(row: unknown): AccountGroup | null {
  if (!isRecord(row) || !Number.isSafeInteger(row.id) || !Number.isSafeInteger(row.gid)) return null;
  const name = str(row.name) ?? str(row.group);
  if (name === null) return null;
  return { id: row.id as number, gid: row.gid as number, name, builtin: row.builtin === true, smb: row.smb === true, roles: strings(row.roles), users: ints(row.users) };
}

export function normalizePrivilege(row: unknown): Privilege | null {
  if (!isRecord(row) || !Number.isSafeInteger(row.id) || typeof row.name !== 'string') return null;
  const gids = Array.isArray(row.local_groups)
    ? row.local_groups.map((g: unknown) => (isRecord(g) ? g.gid : g)).filter((g): g is number => Number.isSafeInteger(g))
    : [];
  return { id: row.id as number, name: row.name, builtinName: str(row.builtin_name), localGroupGids: gids, roles: strings(row.roles), webShell: row.web_shell === true };
}

export function normalizeRole(row: unknown): RoleInfo | null {
  if (!isRecord(row) || typeof row.name !== 'string' || row.name === '') return null;
  return { name: row.name, includes: strings(row.includes), builtin: row.builtin === true };
}

function list<T>(result: unknown, normalize: (row: unknown) => T | null, what: string): T[] {
  if (!Array.isArray(result)) throw new ProtocolError(`The NAS answered a ${what} query with something that is not a list.`);
  return result.map(normalize).filter((x): x is T => x !== null);
}

function one<T>(result: unknown, normalize: (row: unknown) => T | null, what: string): T {
  const value = normalize(result);
  if (value === null) throw new ProtocolError(`The NAS sent a ${what} entry this client cannot read.`);
  return value;
}

function checkId(id: unknown, what: string): number {
  if (!Number.isSafeInteger(id) || (id as number) < 1) throw new InvalidInputError(`The ${what} id must be a positive whole number.`, 'id');
  return id as number;
}

/**
 * Messages for people: a NAS reason that quotes the method (e.g. "Failed to complete
 * privilege.create") reads "the request" instead, and ≤24.10's empty not-found reason becomes a
 * NotFoundError. The error keeps its class and fields.
 */
export function withoutMethodNames(error: unknown, method: string): unknown {
  if (error instanceof CallError && !(error instanceof NotFoundError) && error.errno === 22 && (error.reason === '' || error.reason === 'MatchNotFound()')) {
    return new NotFoundError({ method: error.method, errno: error.errno, errname: error.errname, reason: error.reason, rpcCode: error.rpcCode, extra: error.extra });
  }
  if (error instanceof TrueNasError && error.message.includes(method)) error.message = error.message.split(method).join('the request');
  return error;
}

export class AccountsApi {
  readonly #client: TrueNasClient;
  constructor(client: TrueNasClient) {
    this.#client = client;
  }

  async #call(method: string, params: unknown[], callOptions: CallOptions | undefined): Promise<unknown> {
    try {
      return await this.#client.call(method, params, callOptions);
    } catch (error) {
      throw withoutMethodNames(error, method);
    }
  }

  // ---- users ----

  async users(filters: QueryFilter[] = [], options: QueryOptions = {}, callOptions?: CallOptions): Promise<AccountUser[]> {
    return list(await this.#call('user.query', [filters, options], callOptions), normalizeAccountUser, 'user');
  }

  async user(id: number, callOptions?: CallOptions): Promise<AccountUser> {
    return one(await this.#call('user.get_instance', [checkId(id, 'user')], callOptions), normalizeAccountUser, 'user');
  }

  /** Creates a service account with its own primary group (`group_create`); returns it. */
  async createServiceUser(input: ServiceUserInput, callOptions?: CallOptions): Promise<AccountUser> {
    const data = {
      username: input.username,
      full_name: input.fullName,
      group_create: true,
      groups: input.groupIds,
      password_disabled: true,
      smb: false,
      shell: input.shell,
      home: input.home,
    };
    return one(await this.#call('user.create', [data], callOptions), normalizeAccountUser, 'user');
  }

  /** Deletes a user (and its primary group when no one else is in it, the NAS default). */
  async deleteUser(id: number, callOptions?: CallOptions): Promise<void> {
    await this.#call('user.delete', [checkId(id, 'user'), { delete_group: true }], callOptions);
  }

  // ---- groups ----

  async groups(filters: QueryFilter[] = [], options: QueryOptions = {}, callOptions?: CallOptions): Promise<AccountGroup[]> {
    return list(await this.#call('group.query', [filters, options], callOptions), normalizeGroup, 'group');
  }

  async group(id: number, callOptions?: CallOptions): Promise<AccountGroup> {
    return one(await this.#call('group.get_instance', [checkId(id, 'group')], callOptions), normalizeGroup, 'group');
  }

  /** The group with this GID, or NotFoundError. */
  async groupByGid(gid: number, callOptions?: CallOptions): Promise<AccountGroup> {
    const [found] = await this.groups([['gid', '=', gid]], {}, callOptions);
    if (!found) throw new NotFoundError({ method: 'group.query', errno: 2, errname: 'ENOENT', reason: '', rpcCode: null, extra: null, message: `The NAS has no group with GID ${gid}.` });
    return found;
  }

  /** Creates a non-SMB group; returns its database id (`group.create` answers the id, not the GID). */
  async createGroup(name: string, callOptions?: CallOptions): Promise<number> {
    const id = await this.#call('group.create', [{ name, smb: false }], callOptions);
    if (!Number.isSafeInteger(id)) throw new ProtocolError('The NAS did not say which group it created.');
    return id as number;
  }

  async deleteGroup(id: number, callOptions?: CallOptions): Promise<void> {
    await this.#call('group.delete', [checkId(id, 'group')], callOptions);
  }

  // ---- privileges ----

  async privileges(filters: QueryFilter[] = [], options: QueryOptions = {}, callOptions?: CallOptions): Promise<Privilege[]> {
    return list(await this.#call('privilege.query', [filters, options], callOptions), normalizePrivilege, 'privilege');
  }

  async createPrivilege(input: PrivilegeInput, callOptions?: CallOptions): Promise<Privilege> {
    const data = { name: input.name, local_groups: input.localGroupGids, ds_groups: [], roles: input.roles, web_shell: input.webShell };
    return one(await this.#call('privilege.create', [data], callOptions), normalizePrivilege, 'privilege');
  }

  async deletePrivilege(id: number, callOptions?: CallOptions): Promise<void> {
    await this.#call('privilege.delete', [checkId(id, 'privilege')], callOptions);
  }

  /** `privilege.roles`: every role this release knows (any signed-in session may ask). */
  async roles(callOptions?: CallOptions): Promise<RoleInfo[]> {
    return list(await this.#call('privilege.roles', [], callOptions), normalizeRole, 'role');
  }
}
