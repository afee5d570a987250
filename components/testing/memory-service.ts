/**
 * An ApiKeyService in memory, for demos, Storybook and tests (`@nas-key-manager/components/testing`):
 * real data structures (a Map of keys), TrueNAS's validation rules and error shapes (field paths like `api_key_create`), random secrets from WebCrypto, and live
 * change events to subscribers. Faults can be injected per method.
 */
import type { ApiKeyService } from '../service/api-key-service.js';
import type {
  ApiKey,
  CreateKeyInput,
  EndSessionsResult,
  KeySession,
  KeySessionsReport,
  KeyUsageReport,
  UpgradeReadiness,
  FieldError,
  HasFieldErrors,
  HostCapabilities,
  KeyChange,
  KeyOwner,
  KeyWithSecret,
  UpdateKeyInput,
} from '../model/api-key.js';
import { keyTrouble } from '../model/api-key.js';
import { keyAccess } from '../model/key-access.js';
import type { RoleInfo, ScopedKeyInput, ScopedKeyPlan, ScopedKeyResult } from '../model/scoped-key.js';
import { MemoryInsights } from './memory-insights.js';
import { MODERN, makeOwner } from './sample-keys.js';

export class ValidationProblem extends Error implements HasFieldErrors {
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.path ?? ''}: ${e.message}`).join('\n'));
  }
}

type Method =
  | 'capabilities' | 'list' | 'create' | 'update' | 'reset' | 'delete' | 'users' | 'currentUsername'
  | 'keyUsage' | 'allKeySessions' | 'keySessions' | 'endKeySessions' | 'availableRoles' | 'planScopedKey' | 'createScopedKey' | 'upgradeRisks';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

export class MemoryKeyService implements ApiKeyService {
  readonly keys = new Map<number, ApiKey>();
  readonly owners: KeyOwner[];
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  apiDocsUrl: string | null = 'https://nas.example/api/docs';
  private readonly listeners = new Set<(change: KeyChange) => void>();
  private readonly faults = new Map<Method, Error>();
  private readonly gates = new Map<Method, Promise<void>>();
  private nextId = 1;
  /**
   * Fake usage, sessions and scoped keys (issue 12): `insights.permitted = false` answers as an
   * account without the audit/session roles; `insights.scopedFault = { step: 'create-privilege',
   * undoFails?: true }` fails the next scoped-key run at that step.
   */
  readonly insights: MemoryInsights;

  constructor(
    readonly caps: HostCapabilities = MODERN,
    keys: ApiKey[] = [],
    readonly me: string | null = 'truenas_admin',
  ) {
    for (const key of keys) {
      this.keys.set(key.id, key);
      this.nextId = Math.max(this.nextId, key.id + 1);
    }
    this.owners = caps.userLinkedKeys
      ? [makeOwner('truenas_admin', { id: 70 }), makeOwner('bob', { id: 71, roles: ['READONLY_ADMIN'] }), makeOwner('eve', { id: 72, roles: [] })]
      : [];
    this.insights = new MemoryInsights({
      caps,
      keys: this.keys,
      owners: this.owners,
      addKey: (fields) => {
        const key: ApiKey = { ...fields, id: this.nextId++ };
        this.keys.set(key.id, key);
        this.changed(key, 'added');
        return { key, secret: `${key.id}-${randomSecret()}` };
      },
    });
    this.insights.seed();
  }

  /** The next call of `method` fails with `error`. */
  failNext(method: Method, error: Error): void {
    this.faults.set(method, error);
  }

  /** Calls of `method` wait until the returned function is called. */
  hold(method: Method): () => void {
    let release!: () => void;
    this.gates.set(method, new Promise<void>((r) => (release = r)));
    return () => {
      this.gates.delete(method);
      release();
    };
  }

  /** Pushes a change as if another client made it on the NAS. */
  emit(change: KeyChange): void {
    if (change.type === 'removed') this.keys.delete(change.id);
    else this.keys.set(change.key.id, change.key);
    for (const listener of this.listeners) listener(change);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private async enter(method: Method, ...args: unknown[]): Promise<void> {
    this.calls.push({ method, args });
    await this.gates.get(method);
    const fault = this.faults.get(method);
    if (fault) {
      this.faults.delete(method);
      throw fault;
    }
  }

  private changed(key: ApiKey, type: 'added' | 'changed' = 'changed'): void {
    for (const listener of this.listeners) listener({ type, key });
  }

  async capabilities(): Promise<HostCapabilities> {
    await this.enter('capabilities');
    return this.caps;
  }

  async list(): Promise<ApiKey[]> {
    await this.enter('list');
    const roles = new Map(this.owners.map((o) => [o.username, o.roles]));
    return [...this.keys.values()].map((k) => ({ ...k, access: keyAccess(k, this.caps.userLinkedKeys ? roles : null) }));
  }

  async create(input: CreateKeyInput): Promise<KeyWithSecret> {
    await this.enter('create', input);
    const schema = 'api_key_create';
    const problems: FieldError[] = [];
    if (!input.name) problems.push({ path: `${schema}.name`, field: 'name', message: 'String should have at least 1 character', errno: 22 });
    if ([...this.keys.values()].some((k) => k.name === input.name)) {
      problems.push(this.caps.userLinkedKeys
        ? { path: schema, field: null, message: 'name must be unique', errno: 22 }
        : { path: `${schema}.name`, field: 'name', message: 'Object with this name already exists', errno: 22 });
    }
    let owner: KeyOwner | undefined;
    if (this.caps.userLinkedKeys) {
      owner = this.owners.find((u) => u.username === input.username);
      if (!owner) problems.push({ path: schema, field: null, message: 'User does not exist.', errno: 22 });
      else if (owner.roles.length === 0) problems.push({ path: schema, field: null, message: 'User lacks privilege role membership.', errno: 22 });
      if (input.expiresAt != null && input.expiresAt <= Date.now()) problems.push({ path: schema, field: null, message: 'Expiration date is in the past', errno: 22 });
    }
    if (problems.length) throw new ValidationProblem(problems);
    const id = this.nextId++;
    const key: ApiKey = {
      id,
      name: input.name,
      username: owner?.username ?? null,
      userIdentifier: owner?.id ?? null,
      local: owner ? owner.local : null,
      createdAt: Math.floor(Date.now() / 1000) * 1000,
      expiresAt: input.expiresAt ?? null,
      revoked: false,
      revokedReason: null,
      allowlist: this.caps.allowlist ? (input.allowlist ?? []) : null,
    };
    this.keys.set(id, key);
    this.changed(key, 'added');
    return { key, secret: `${id}-${randomSecret()}` };
  }

  private existing(id: number): ApiKey {
    const key = this.keys.get(id);
    if (!key) throw new ValidationProblem([{ path: null, field: null, message: `ApiKey ${id} does not exist`, errno: 2 }]);
    return key;
  }

  async update(id: number, input: UpdateKeyInput): Promise<ApiKey> {
    await this.enter('update', id, input);
    return this.apply(id, input);
  }

  private apply(id: number, input: Omit<UpdateKeyInput, 'reset'>): ApiKey {
    const key = this.existing(id);
    if (input.name !== undefined && [...this.keys.values()].some((k) => k.name === input.name && k.id !== id)) {
      throw new ValidationProblem([{ path: 'api_key_update', field: null, message: 'name must be unique', errno: 22 }]);
    }
    const next: ApiKey = {
      ...key,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      ...(input.allowlist !== undefined ? { allowlist: input.allowlist } : {}),
    };
    this.keys.set(id, next);
    this.changed(next);
    return next;
  }

  async reset(id: number, changes?: Omit<UpdateKeyInput, 'reset'>): Promise<KeyWithSecret> {
    await (changes ? this.enter('reset', id, changes) : this.enter('reset', id));
    // As on the NAS: a reset clears revocation, except for a key whose owner no longer exists.
    const before = changes ? this.apply(id, changes) : this.existing(id);
    const key = { ...before, revoked: keyTrouble(before) === 'owner-gone' };
    this.keys.set(id, key);
    this.changed(key);
    return { key, secret: `${id}-${randomSecret()}` };
  }

  async delete(id: number): Promise<void> {
    await this.enter('delete', id);
    this.existing(id);
    this.keys.delete(id);
    for (const listener of this.listeners) listener({ type: 'removed', id });
  }

  async users(search?: string): Promise<KeyOwner[]> {
    await this.enter('users', search);
    const text = (search ?? '').toLowerCase();
    return this.owners.filter((u) => u.roles.length > 0 && u.username.toLowerCase().includes(text));
  }

  async currentUsername(): Promise<string | null> {
    await this.enter('currentUsername');
    return this.me;
  }

  subscribe(listener: (change: KeyChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async keyUsage(): Promise<KeyUsageReport> {
    await this.enter('keyUsage');
    return this.insights.keyUsage();
  }

  async allKeySessions(): Promise<KeySessionsReport> {
    await this.enter('allKeySessions');
    return this.insights.allKeySessions();
  }

  async keySessions(id: number): Promise<KeySession[]> {
    await this.enter('keySessions', id);
    return this.insights.keySessions(id);
  }

  async endKeySessions(id: number): Promise<EndSessionsResult> {
    await this.enter('endKeySessions', id);
    return this.insights.endKeySessions(id);
  }

  async availableRoles(): Promise<RoleInfo[]> {
    await this.enter('availableRoles');
    return this.insights.availableRoles();
  }

  async planScopedKey(input: ScopedKeyInput): Promise<ScopedKeyPlan> {
    await this.enter('planScopedKey', input);
    return this.insights.planScopedKey(input);
  }

  async createScopedKey(plan: ScopedKeyPlan): Promise<ScopedKeyResult> {
    await this.enter('createScopedKey', plan);
    const { key, secret, created } = this.insights.createScopedKey(plan);
    return { key, secret, plan, created, warnings: [] };
  }

  async upgradeRisks(): Promise<UpgradeReadiness> {
    await this.enter('upgradeRisks');
    return this.insights.upgradeRisks();
  }
}
