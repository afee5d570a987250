/**
 * Local accounts as the middleware keeps them: users (`account.bsdusers`), groups
 * (`account.bsdgroups`) and privileges (`account.privilege`). A user's roles are never stored:
 * they are the roles of every privilege whose `local_groups` (GIDs) holds one of the user's
 * groups (MW@TS-25.10.6:plugins/account.py user_extend, `roles_mapping`), so `recompute()` runs
 * after every change.
 */
import { hashPassword, randomAlnum } from './crypto.js';
import type { SeedData, SeedGroup, SeedPrivilege, SeedUser } from './seed.js';

/** What TrueNAS stores as unixhash for a password-disabled account (never verifies). */
export const NO_PASSWORD_HASH = '*';
/** MW@TS-25.10.6:plugins/account_/constants.py DEFAULT_HOME_PATH. */
export const DEFAULT_HOME = '/var/empty';
export const NOLOGIN_SHELL = '/usr/sbin/nologin';

export interface UserRecord {
  id: number;
  uid: number;
  username: string;
  fullName: string;
  builtin: boolean;
  /** Derived: the roles of the privileges granted to the user's groups (see Accounts.recompute). */
  roles: string[];
  /** Kept in memory only, so RunningSimulator can hand seeded credentials to tests ("" when disabled). */
  password: string;
  passwordHash: string;
  otpSecret?: string;
  locked: boolean;
  email: string | null;
  home: string;
  shell: string;
  smb: boolean;
  passwordDisabled: boolean;
  /** Primary group (database id). */
  groupId: number;
  /** Auxiliary groups (database ids). */
  groupIds: number[];
  sshpubkey: string | null;
  immutable: boolean;
  sudoCommands: string[];
  sudoCommandsNopasswd: string[];
  /** 26.0: the last OTP code that logged in (replays are refused). */
  lastOtp?: string;
}

export interface GroupRecord {
  id: number;
  gid: number;
  name: string;
  builtin: boolean;
  smb: boolean;
  sudoCommands: string[];
  sudoCommandsNopasswd: string[];
}

export interface PrivilegeRecord {
  id: number;
  builtinName: string | null;
  name: string;
  /** GIDs, not database ids (MW@TS-25.10.6:plugins/account_/privilege.py:73, 226-240). */
  localGroups: number[];
  dsGroups: Array<number | string>;
  roles: string[];
  webShell: boolean;
}

/**
 * Built-in groups a fresh NAS has (database ids are the simulator's; GIDs are the real ones:
 * MW@TS-25.10.6:utils/privilege_constants.py LocalAdminGroups, alembic 24.04 builtin_roles_groups).
 */
const BUILTIN_GROUPS: GroupRecord[] = [
  { id: 1, gid: 0, name: 'root', builtin: true, smb: false, sudoCommands: [], sudoCommandsNopasswd: [] },
  { id: 40, gid: 544, name: 'builtin_administrators', builtin: true, smb: true, sudoCommands: [], sudoCommandsNopasswd: [] },
  { id: 41, gid: 545, name: 'builtin_users', builtin: true, smb: true, sudoCommands: [], sudoCommandsNopasswd: [] },
  { id: 42, gid: 951, name: 'truenas_readonly_administrators', builtin: true, smb: true, sudoCommands: [], sudoCommandsNopasswd: [] },
  { id: 43, gid: 952, name: 'truenas_sharing_administrators', builtin: true, smb: true, sudoCommands: [], sudoCommandsNopasswd: [] },
  { id: 44, gid: 65534, name: 'nogroup', builtin: true, smb: false, sudoCommands: [], sudoCommandsNopasswd: [] },
];

/** The three built-in privileges (alembic 22.12 privilege, 24.04 readonly/sharing + builtin_roles_groups). */
const BUILTIN_PRIVILEGES: PrivilegeRecord[] = [
  { id: 1, builtinName: 'LOCAL_ADMINISTRATOR', name: 'Local Administrator', localGroups: [544], dsGroups: [], roles: ['FULL_ADMIN'], webShell: true },
  { id: 2, builtinName: 'READONLY_ADMINISTRATOR', name: 'Read-Only Administrator', localGroups: [951], dsGroups: [], roles: ['READONLY_ADMIN'], webShell: false },
  { id: 3, builtinName: 'SHARING_ADMINISTRATOR', name: 'Sharing Administrator', localGroups: [952], dsGroups: [], roles: ['SHARING_ADMIN'], webShell: false },
];

/** Seed `roles` shortcuts that map onto a built-in group (the way an admin grants them on a NAS). */
const ROLE_GROUPS: Record<string, string> = {
  FULL_ADMIN: 'builtin_administrators',
  READONLY_ADMIN: 'truenas_readonly_administrators',
  SHARING_ADMIN: 'truenas_sharing_administrators',
};

export class Accounts {
  users: UserRecord[] = [];
  groups: GroupRecord[] = [];
  privileges: PrivilegeRecord[] = [];

  /** `passwords`: reuse these per username (a reset keeps the run's credentials). */
  constructor(
    seed: SeedData,
    private readonly passwords = new Map<string, string>(),
  ) {
    this.groups = BUILTIN_GROUPS.map((g) => ({ ...g, sudoCommands: [], sudoCommandsNopasswd: [] }));
    this.privileges = BUILTIN_PRIVILEGES.map((p) => ({ ...p, localGroups: [...p.localGroups], dsGroups: [], roles: [...p.roles] }));
    for (const g of seed.groups ?? []) this.addSeedGroup(g);
    for (const u of seed.users) this.addSeedUser(u);
    for (const p of seed.privileges ?? []) this.addSeedPrivilege(p);
    this.recompute();
  }

  private addSeedGroup(g: SeedGroup): void {
    this.groups.push({
      id: g.id ?? this.nextGroupId(),
      gid: g.gid,
      name: g.name,
      builtin: false,
      smb: g.smb ?? true,
      sudoCommands: [],
      sudoCommandsNopasswd: [],
    });
  }

  private addSeedUser(u: SeedUser): void {
    const disabled = u.passwordDisabled ?? false;
    const password = disabled ? '' : (u.password ?? this.passwords.get(u.username) ?? randomAlnum(16));
    let primary = u.group !== undefined ? this.groupByName(u.group) : u.uid === 0 ? this.groupByName('root') : undefined;
    if (!primary) {
      // Like user.create with group_create: a personal group named after the user (gid = uid).
      // Its id follows the user's id when free, so seeded ids stay stable across seeds.
      const id = this.groups.some((g) => g.id === u.id) ? this.nextGroupId() : u.id;
      primary = { id, gid: u.uid, name: u.username, builtin: false, smb: false, sudoCommands: [], sudoCommandsNopasswd: [] };
      this.groups.push(primary);
    }
    const aux = new Set<number>();
    for (const name of u.groups ?? []) aux.add(this.groupByName(name)!.id);
    const extraRoles: string[] = [];
    for (const role of u.roles ?? []) {
      const groupName = ROLE_GROUPS[role];
      if (groupName) aux.add(this.groupByName(groupName)!.id);
      else extraRoles.push(role);
    }
    const smb = u.smb ?? (u.uid !== 0 && !disabled);
    if (smb) aux.add(this.groupByName('builtin_users')!.id);
    aux.delete(primary.id);
    if (extraRoles.length) {
      // Other roles: a privilege granted to the user's primary group, as an admin would set it up.
      this.privileges.push({
        id: this.nextPrivilegeId(),
        builtinName: null,
        name: `${u.username} roles`,
        localGroups: [primary.gid],
        dsGroups: [],
        roles: extraRoles,
        webShell: false,
      });
    }
    this.users.push({
      id: u.id,
      uid: u.uid,
      username: u.username,
      fullName: u.fullName ?? u.username,
      builtin: u.builtin ?? false,
      roles: [],
      password,
      passwordHash: disabled ? NO_PASSWORD_HASH : hashPassword(password),
      ...(u.otpSecret ? { otpSecret: u.otpSecret } : {}),
      locked: u.locked ?? false,
      email: u.email ?? null,
      home: u.home ?? (u.uid === 0 ? '/root' : disabled ? DEFAULT_HOME : `/home/${u.username}`),
      shell: u.shell ?? (disabled ? NOLOGIN_SHELL : '/usr/bin/zsh'),
      smb,
      passwordDisabled: disabled,
      groupId: primary.id,
      groupIds: [...aux],
      sshpubkey: null,
      immutable: u.builtin ?? false,
      sudoCommands: [],
      sudoCommandsNopasswd: [],
    });
  }

  private addSeedPrivilege(p: SeedPrivilege): void {
    this.privileges.push({
      id: this.nextPrivilegeId(),
      builtinName: null,
      name: p.name,
      localGroups: (p.localGroups ?? []).map((g) => (typeof g === 'number' ? g : this.groupByName(g)!.gid)),
      dsGroups: [],
      roles: [...(p.roles ?? [])],
      webShell: p.webShell ?? false,
    });
  }

  nextGroupId(): number {
    return Math.max(0, ...this.groups.map((g) => g.id)) + 1;
  }

  nextPrivilegeId(): number {
    return Math.max(0, ...this.privileges.map((p) => p.id)) + 1;
  }

  nextUserId(): number {
    return Math.max(0, ...this.users.map((u) => u.id)) + 1;
  }

  /** `get_next_uid`/`get_next_gid`: the first id from 3000 not in use. */
  nextUid(): number {
    let uid = 3000;
    while (this.users.some((u) => u.uid === uid)) uid++;
    return uid;
  }

  nextGid(): number {
    let gid = 3000;
    while (this.groups.some((g) => g.gid === gid)) gid++;
    return gid;
  }

  groupByName(name: string): GroupRecord | undefined {
    return this.groups.find((g) => g.name === name);
  }

  groupById(id: number): GroupRecord | undefined {
    return this.groups.find((g) => g.id === id);
  }

  groupByGid(gid: number): GroupRecord | undefined {
    return this.groups.find((g) => g.gid === gid);
  }

  /** GIDs of the user's primary and auxiliary groups. */
  gidsOf(user: UserRecord): number[] {
    return [user.groupId, ...user.groupIds].map((id) => this.groupById(id)?.gid).filter((gid): gid is number => gid !== undefined);
  }

  /** A group's roles: those of every privilege naming its GID (group_extend `privileges_group_mapping`). */
  rolesOfGid(gid: number): string[] {
    const out = new Set<string>();
    for (const p of this.privileges) if (p.localGroups.includes(gid)) for (const r of p.roles) out.add(r);
    return [...out];
  }

  /** Members of a group: primary and auxiliary (group_extend `users`). */
  membersOf(group: GroupRecord): number[] {
    return this.users.filter((u) => u.groupId === group.id || u.groupIds.includes(group.id)).map((u) => u.id);
  }

  /** Re-derives every user's roles after a change to users, groups or privileges. */
  recompute(): void {
    for (const u of this.users) {
      const roles = new Set<string>();
      for (const gid of this.gidsOf(u)) for (const r of this.rolesOfGid(gid)) roles.add(r);
      u.roles = [...roles];
    }
  }
}
