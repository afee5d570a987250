/**
 * The simulated NAS database: users (from the seed) and API keys (seeded, created, persisted).
 * Keys are stored the way the middleware stores them: a hash (or SCRAM material on 26.0), an
 * `expiry` integer (0 = never, -1 = revoked, else epoch seconds) and, from 25.04, the owner's
 * `user_identifier`. Plain secrets exist only in the create/reset result.
 *
 * Persistence writes a temporary file, fsyncs it and renames it over the target, so a crash
 * mid-write leaves either the old or the new state, never a torn file.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { Accounts, type UserRecord } from './accounts.js';
import {
  HASH_ITERATIONS,
  NAS_SHA512_ITERATIONS,
  hashSha256,
  hashSha512,
  isKeySecret,
  randomAlnum,
  scramMaterial,
  scramVerifySecret,
  verifyHash,
  verifyPassword,
  type ScramMaterial,
} from './crypto.js';
import type { Profile } from './profiles.js';
import { defaultSeed, seedDate, type SeedAllowlistEntry, type SeedData } from './seed.js';

export type { UserRecord } from './accounts.js';

export const LEGACY_API_KEY = 'LEGACY_API_KEY';
export const STATE_FORMAT = 'nas-key-manager-simulator-state';
const BOOTSTRAP_KEY_NAME = 'nas-sim-bootstrap';

export interface KeyRecord {
  id: number;
  name: string;
  /** Epoch ms. */
  createdAt: number;
  allowlist: SeedAllowlistEntry[];
  /** Row id of a local user, a SID, or "LEGACY_API_KEY" (25.04+). */
  userIdentifier: number | string;
  /** 0 = never expires, -1 = revoked, otherwise epoch seconds. */
  expiry: number;
  revokedReason: string | null;
  /** Stored hash (22.02-25.10). */
  hash?: string;
  /** SCRAM material (26.0). */
  scram?: ScramMaterial;
  /** The bootstrap admin key whose secret is renewed on every start. */
  bootstrap?: boolean;
}

/** What create and reset hand back once: the key string (and the SCRAM client key on 26.0). */
export interface IssuedSecret {
  key: string;
  clientKey?: string;
}

interface ProfileState {
  nextKeyId: number;
  keys: KeyRecord[];
}

export class Store {
  accounts: Accounts;
  /** PBKDF2 rounds of new sha512 key hashes (25.04-25.10): the fast default, or 500,000 like a NAS. */
  readonly sha512Iterations: number;
  keys = new Map<number, KeyRecord>();
  nextKeyId = 1;
  admin!: UserRecord;
  bootstrapKey = '';
  private readonly seed: SeedData;
  private otherProfiles: Record<string, unknown> = {};

  constructor(
    readonly profile: Profile,
    seed: SeedData | undefined,
    readonly persistPath?: string,
    options: { realHashes?: boolean } = {},
  ) {
    this.sha512Iterations = options.realHashes ? NAS_SHA512_ITERATIONS : HASH_ITERATIONS;
    this.seed = seed ?? defaultSeed();
    this.accounts = new Accounts(this.seed);
    this.chooseAdmin();
    const persisted = persistPath ? this.readPersisted(persistPath) : undefined;
    if (persisted) {
      this.nextKeyId = persisted.nextKeyId;
      for (const key of persisted.keys) this.keys.set(key.id, key);
    } else {
      // The bootstrap key comes first (id 1), so seeded ids are the same after every reset.
      this.bootstrapRecord();
      this.seedKeys();
    }
    const boot = this.bootstrapRecord();
    boot.expiry = 0;
    boot.userIdentifier = this.admin.id;
    this.bootstrapKey = this.setSecret(boot, randomAlnum(64)).key;
    this.save();
  }

  /** Back to the seed; the bootstrap key keeps its id and secret so tests can keep using it. */
  reset(): void {
    // Accounts go back to the seed too, keeping this run's passwords (tests hold them).
    this.accounts = new Accounts(this.seed, new Map(this.users.map((u) => [u.username, u.password])));
    this.chooseAdmin();
    const boot = [...this.keys.values()].find((k) => k.bootstrap);
    this.keys.clear();
    this.nextKeyId = 1;
    if (boot) {
      this.keys.set(boot.id, { ...boot, expiry: 0, revokedReason: null });
      this.nextKeyId = boot.id + 1;
    }
    this.seedKeys();
    this.save();
  }

  /** Users live in the accounts module; this is the list every lookup reads. */
  get users(): UserRecord[] {
    return this.accounts.users;
  }

  private chooseAdmin(): void {
    const seedUsers = this.seed.users;
    // 22.02 lets only root log in with a password, so root is the bootstrap admin there.
    const marked = seedUsers.find((u) => u.admin)?.username;
    const fallback = this.users.find((u) => u.roles.includes('FULL_ADMIN') && u.uid !== 0) ?? this.users[0]!;
    const wanted = this.profile.n < 2212 ? 'root' : marked;
    this.admin = this.users.find((u) => u.username === wanted) ?? fallback;
  }

  private seedKeys(): void {
    const now = Date.now();
    for (const [i, k] of (this.seed.keys ?? []).entries()) {
      const where = `keys[${i}]`;
      const id = this.nextKeyId++;
      let userIdentifier: number | string = this.admin.id;
      if (typeof k.owner === 'string') {
        userIdentifier = k.owner === LEGACY_API_KEY ? LEGACY_API_KEY : this.userByName(k.owner)!.id;
      } else if (k.owner) {
        userIdentifier = k.owner.sid;
      }
      const expiresAt = k.expiresAt === undefined || k.expiresAt === null ? 0 : Math.floor(seedDate(k.expiresAt, now, `${where}.expiresAt`) / 1000);
      const record: KeyRecord = {
        id,
        name: k.name,
        createdAt: k.createdAt === undefined ? now : seedDate(k.createdAt, now, `${where}.createdAt`),
        allowlist: k.allowlist ? k.allowlist.map((e) => ({ ...e })) : [{ method: '*', resource: '*' }],
        userIdentifier,
        expiry: k.revoked ? -1 : expiresAt,
        revokedReason: k.revokedReason ?? null,
      };
      const secret = k.secret ?? randomAlnum(64);
      this.setSecret(record, secret);
      if (k.keyhash === 'sha256') this.carriedOverFromSha256(record, secret);
      this.keys.set(id, record);
    }
  }

  /**
   * A key last hashed before 25.04 (seed `keyhash: "sha256"`). 25.x keeps the old hash until the
   * key's first login (MW@TS-25.10.6:plugins/auth.py:956-960); the 26.0 upgrade revokes it
   * (MW@TS-26.0.0-BETA.3:alembic/versions/26.0/2026-02-06_18-18_convert-api-keys.py:59-82).
   */
  private carriedOverFromSha256(record: KeyRecord, secret: string): void {
    if (this.profile.n < 2504) return;
    if (this.profile.n >= 2600) {
      record.scram = { iterations: 0, salt: '', storedKey: '', serverKey: '' };
      record.expiry = -1;
      record.revokedReason = '$pbkdf2-sha256: unsupported cryptographic algorithm';
      return;
    }
    record.hash = hashSha256(secret);
  }

  /** On a 25.x login that succeeded: an old sha256 hash is rewritten (MW@TS-25.10.6:plugins/auth.py:956-960). */
  upgradeHash(record: KeyRecord, secret: string): boolean {
    if (this.profile.n < 2504 || this.profile.n >= 2600 || !record.hash?.startsWith('$pbkdf2-sha256$')) return false;
    record.hash = hashSha512(secret, this.sha512Iterations);
    this.save();
    return true;
  }

  /** The admin key of this run: created once (then persisted); its secret is renewed at every start. */
  private bootstrapRecord(): KeyRecord {
    let record = [...this.keys.values()].find((k) => k.bootstrap);
    if (!record) {
      record = {
        id: this.nextKeyId++,
        name: this.uniqueName(BOOTSTRAP_KEY_NAME),
        createdAt: Date.now(),
        allowlist: [{ method: '*', resource: '*' }],
        userIdentifier: this.admin.id,
        expiry: 0,
        revokedReason: null,
        bootstrap: true,
      };
      this.keys.set(record.id, record);
    }
    return record;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 2; [...this.keys.values()].some((k) => k.name === name); i++) name = `${base}-${i}`;
    return name;
  }

  /** Stores a new secret for `record` in the profile's format; returns what the caller may see once. */
  setSecret(record: KeyRecord, secret: string): IssuedSecret {
    if (!isKeySecret(secret)) throw new Error('API key secrets are 64 characters from [A-Za-z0-9]');
    const key = `${record.id}-${secret}`;
    delete record.hash;
    delete record.scram;
    if (this.profile.n >= 2600) {
      const { clientKey, ...material } = scramMaterial(secret);
      record.scram = material;
      return { key, clientKey };
    }
    record.hash = this.profile.n >= 2504 ? hashSha512(secret, this.sha512Iterations) : hashSha256(secret);
    return { key };
  }

  verifySecret(record: KeyRecord, secret: string): boolean {
    if (!isKeySecret(secret)) return false;
    if (record.scram) return scramVerifySecret(secret, record.scram);
    return record.hash !== undefined && verifyHash(secret, record.hash);
  }

  verifyPassword(user: UserRecord, password: unknown): boolean {
    return typeof password === 'string' && verifyPassword(password, user.passwordHash);
  }

  userByName(username: string): UserRecord | undefined {
    return this.users.find((u) => u.username === username);
  }

  userById(id: number): UserRecord | undefined {
    return this.users.find((u) => u.id === id);
  }

  /** The key's owner as 25.04+ resolves it; LEGACY_API_KEY maps to uid 950, else root. */
  ownerOf(record: KeyRecord): UserRecord | undefined {
    const ident = record.userIdentifier;
    if (typeof ident === 'number') return this.userById(ident);
    if (ident === LEGACY_API_KEY) return this.users.find((u) => u.uid === 950) ?? this.users.find((u) => u.uid === 0);
    return undefined;
  }

  keysOwnedBy(user: UserRecord): KeyRecord[] {
    return [...this.keys.values()].filter((k) => this.ownerOf(k)?.id === user.id);
  }

  // ---- persistence -------------------------------------------------------------------------

  private readPersisted(path: string): ProfileState | undefined {
    if (!existsSync(path)) return undefined;
    const bad = (why: string): never => {
      throw new Error(
        `Simulator state file ${path} is not usable (${why}). It was left untouched; fix it, or delete it to start again from the seed.`,
      );
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return bad(`not valid JSON: ${(e as Error).message}`);
    }
    const root = parsed as { format?: unknown; version?: unknown; profiles?: unknown };
    if (!root || typeof root !== 'object' || root.format !== STATE_FORMAT) return bad(`expected "format": "${STATE_FORMAT}"`);
    if (root.version !== 1) return bad(`unsupported version ${String(root.version)}`);
    if (!root.profiles || typeof root.profiles !== 'object') return bad('missing "profiles"');
    const { [this.profile.name]: mine, ...others } = root.profiles as Record<string, unknown>;
    this.otherProfiles = others;
    if (mine === undefined) return undefined;
    const state = mine as { nextKeyId?: unknown; keys?: unknown };
    if (!Number.isInteger(state.nextKeyId) || !Array.isArray(state.keys)) return bad(`profile ${this.profile.name}: missing nextKeyId or keys`);
    const keys = state.keys as unknown[];
    keys.forEach((k, i) => {
      const key = k as Partial<KeyRecord> | null;
      const ok =
        key &&
        Number.isInteger(key.id) &&
        typeof key.name === 'string' &&
        typeof key.createdAt === 'number' &&
        Array.isArray(key.allowlist) &&
        (typeof key.userIdentifier === 'number' || typeof key.userIdentifier === 'string') &&
        Number.isInteger(key.expiry) &&
        (key.revokedReason === null || typeof key.revokedReason === 'string') &&
        (typeof key.hash === 'string' || (key.scram && typeof key.scram === 'object'));
      if (!ok) bad(`profile ${this.profile.name}: keys[${i}] is malformed`);
    });
    return { nextKeyId: state.nextKeyId as number, keys: keys as KeyRecord[] };
  }

  save(): void {
    if (!this.persistPath) return;
    const state: ProfileState = { nextKeyId: this.nextKeyId, keys: [...this.keys.values()] };
    const body = JSON.stringify({ format: STATE_FORMAT, version: 1, profiles: { ...this.otherProfiles, [this.profile.name]: state } }, null, 1);
    const tmp = `${this.persistPath}.tmp-${process.pid}`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, body);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.persistPath);
    } catch (e) {
      throw new Error(`Cannot save simulator state to ${this.persistPath}: ${(e as Error).message}. The previous state file, if any, is unchanged.`, { cause: e });
    }
  }
}
