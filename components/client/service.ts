/**
 * ApiKeyService over the TrueNAS connection library: what `api-key-manager` needs from one NAS.
 * Lives in the client package (`@nas-key-manager/truenas-client/service`), so the components
 * package depends on Lit alone; it implements the components' service contract, whose types
 * (model/api-key.ts, service/api-key-service.ts) both packages carry.
 */
import type {
  ApiKey,
  ApiKeyRow,
  ConnectionState,
  CreateKeyInput,
  HostCapabilities,
  KeyChange,
  KeyOwner,
  KeyPage,
  KeyPageRequest,
  KeyWithSecret,
  UpdateKeyInput,
  UpgradeReadiness,
} from '../model/api-key.js';
import type { RoleInfo, ScopedKeyInput, ScopedKeyPlan, ScopedKeyResult } from '../model/scoped-key.js';
import { keyStatus } from '../model/api-key.js';
import { keyAccess } from '../model/key-access.js';
import { REFUSED_ROLES } from '../model/scoped-key.js';
import { upgradeRisks } from '../model/upgrade-risks.js';
import { createScopedKey, planScopedKey } from './scoped-key.js';
import { keySessions, sessionsOfKey, terminateKeySessions } from './sessions.js';
import { keyUsage } from './usage.js';
import type { ApiKeyService } from '../service/api-key-service.js';
import { InvalidInputError, containsPattern, type QueryFilter, type QueryOptions, type TrueNasClient } from './index.js';

export { containsPattern };

export interface TrueNasServiceOptions {
  /** Tags rows from listPage with their host (multi-host tables). */
  hostId?: string;
  hostName?: string;
  /** Called when a live subscription could not be (re)established. */
  onSubscribeError?: (error: Error) => void;
}

function searchFilter(search: string | undefined, caps: HostCapabilities): QueryFilter[] {
  const text = typeof search === 'string' ? search.trim() : '';
  if (!text) return [];
  const pattern = containsPattern(text.slice(0, 200));
  if (!caps.userLinkedKeys) return [['name', '~', pattern]];
  return [['OR', [['name', '~', pattern], ['username', '~', pattern]]]];
}

/** order_by for one sort key; null when the NAS cannot sort by it (done client-side). */
function orderBy(request: KeyPageRequest, caps: HostCapabilities): string[] | null {
  const sort = request.sort;
  if (!sort) return ['name'];
  const desc = sort.direction === 'desc';
  const plain = (field: string) => [desc ? `-${field}` : field];
  switch (sort.field) {
    case 'name':
    case 'host':
      return plain('name');
    case 'createdAt':
      return plain('created_at');
    case 'username':
      return caps.userLinkedKeys ? [desc ? 'nulls_last:-username' : 'nulls_last:username'] : plain('name');
    case 'local':
      return caps.userLinkedKeys ? plain('local') : plain('name');
    case 'expiresAt':
      // Never-expiring keys sort as the latest.
      return caps.userLinkedKeys ? [desc ? 'nulls_first:-expires_at' : 'nulls_last:expires_at'] : plain('name');
    case 'status':
      return null;
    default:
      return ['name'];
  }
}

const STATUS_ORDER = { active: 0, expiring: 1, expired: 2, revoked: 3 } as const;

function checkPageRequest(request: KeyPageRequest): void {
  if (typeof request !== 'object' || request === null) throw new InvalidInputError('The page request is missing.');
  if (!Number.isSafeInteger(request.offset) || request.offset < 0) throw new InvalidInputError('The page offset must be a whole number of at least 0.', 'offset');
  if (!Number.isSafeInteger(request.limit) || request.limit < 1 || request.limit > 10_000) {
    throw new InvalidInputError('The page size must be between 1 and 10,000.', 'limit');
  }
}

export function createTrueNasService(client: TrueNasClient, options: TrueNasServiceOptions = {}): ApiKeyService {
  const tag = (key: ApiKey): ApiKeyRow => ({
    ...key,
    ...(options.hostId !== undefined ? { hostId: options.hostId } : {}),
    ...(options.hostName !== undefined ? { hostName: options.hostName } : {}),
  });

  /** Ids the caller has seen (lists, pages, events), so a resync can report removals. */
  const known = new Set<number>();
  const remember = <T extends ApiKey>(keys: T[]): T[] => {
    for (const k of keys) known.add(k.id);
    return keys;
  };

  /**
   * Each key's blast radius: from its allowlist (≤24.10), or its owner's roles (25.04+) read with
   * one `user.query` for the whole list. When the owners cannot be read, access is `unknown`.
   */
  const withAccess = async <T extends ApiKey>(keys: Promise<T[]>): Promise<T[]> => {
    const caps = await client.capabilities();
    const owners = caps.userLinkedKeys
      ? client.accounts.users([], { select: ['id', 'username', 'roles'] }).then(
          (users) => new Map(users.map((u) => [u.username, u.roles])),
          () => null,
        )
      : Promise.resolve(null);
    const [list, roles] = await Promise.all([keys, owners]);
    return list.map((k) => ({ ...k, access: keyAccess(k, roles) }));
  };

  return {
    apiDocsUrl: client.apiDocsUrl,

    capabilities: () => client.capabilities(),

    list: async () => remember(await withAccess(client.apiKeys.query([], { order_by: ['name'] }))),

    async listPage(request: KeyPageRequest): Promise<KeyPage> {
      checkPageRequest(request);
      const caps = await client.capabilities();
      const filters = searchFilter(request.search, caps);
      const order = orderBy(request, caps);
      if (order === null || request.status) {
        // Status is derived from revoked + expires_at and the clock: the NAS cannot filter or sort by it.
        const now = Date.now();
        let rows = await client.apiKeys.query(filters, { order_by: order ?? ['name'] });
        if (request.status) rows = rows.filter((k) => keyStatus(k, now) === request.status);
        if (order === null) {
          const sign = request.sort?.direction === 'desc' ? -1 : 1;
          rows = rows
            .map((k, i) => ({ k, i }))
            .sort((a, b) => sign * (STATUS_ORDER[keyStatus(a.k, now)] - STATUS_ORDER[keyStatus(b.k, now)]) || a.i - b.i)
            .map(({ k }) => k);
        }
        return { rows: remember(await withAccess(Promise.resolve(rows.slice(request.offset, request.offset + request.limit)))).map(tag), total: rows.length };
      }
      const page: QueryOptions = { order_by: order, offset: request.offset, limit: request.limit };
      const [rows, total] = await Promise.all([withAccess(client.apiKeys.query(filters, page)), client.apiKeys.count(filters)]);
      return { rows: remember(rows).map(tag), total };
    },

    async create(input: CreateKeyInput): Promise<KeyWithSecret> {
      const created = await client.apiKeys.create(input);
      known.add(created.key.id);
      return created;
    },

    update: (id: number, input: UpdateKeyInput): Promise<ApiKey> => client.apiKeys.update(id, input),

    reset: (id: number, changes?: Omit<UpdateKeyInput, 'reset'>): Promise<KeyWithSecret> => client.apiKeys.reset(id, changes),

    delete: (id: number): Promise<void> => client.apiKeys.delete(id),

    async users(search?: string): Promise<KeyOwner[]> {
      const caps = await client.capabilities();
      if (!caps.userLinkedKeys) return [];
      return client.users.keyOwners(search ?? '');
    },

    async currentUsername(): Promise<string | null> {
      if (client.username) return client.username;
      try {
        return (await client.me()).pw_name;
      } catch {
        // auth.me does not exist on 22.02 and refuses API-key sessions before 25.04.
        return null;
      }
    },

    subscribe(listener: (change: KeyChange) => void): () => void {
      let active = true;
      let unsubscribe: (() => Promise<void>) | null = null;
      const emit = (change: KeyChange) => {
        if (!active) return;
        if (change.type === 'removed') known.delete(change.id);
        else known.add(change.key.id);
        listener(change);
      };
      client.apiKeys.subscribe(emit).then(
        (sub) => {
          if (active) unsubscribe = () => sub.unsubscribe();
          else void sub.unsubscribe();
        },
        (error: unknown) => options.onSubscribeError?.(error as Error),
      );
      // Events sent while the socket was down are lost (and revocations never send one):
      // after a reconnect, re-read the keys and report the differences.
      const stopResync = client.on('reconnected', () => {
        client.apiKeys.query([], { order_by: ['name'] }).then(
          (keys) => {
            const present = new Set(keys.map((k) => k.id));
            for (const id of [...known]) if (!present.has(id)) emit({ type: 'removed', id });
            for (const key of keys) emit({ type: known.has(key.id) ? 'changed' : 'added', key });
          },
          (error: unknown) => options.onSubscribeError?.(error as Error),
        );
      });
      return () => {
        active = false;
        stopResync();
        void unsubscribe?.();
      };
    },

    keyUsage: () => keyUsage(client),

    allKeySessions: () => keySessions(client),

    keySessions: (id: number) => sessionsOfKey(client, id),

    endKeySessions: (id: number) => terminateKeySessions(client, id),

    async availableRoles(): Promise<RoleInfo[]> {
      const caps = await client.capabilities();
      if (!(caps.scopedKeys ?? caps.userLinkedKeys)) return [];
      return (await client.accounts.roles()).filter((r) => !(r.name in REFUSED_ROLES));
    },

    planScopedKey: (input: ScopedKeyInput) => planScopedKey(client, input),

    async createScopedKey(plan: ScopedKeyPlan): Promise<ScopedKeyResult> {
      const result = await createScopedKey(client, plan);
      known.add(result.key.id);
      return result;
    },

    async upgradeRisks(): Promise<UpgradeReadiness> {
      const [caps, keys] = await Promise.all([client.capabilities(), client.apiKeys.query([], { order_by: ['name'] })]);
      return upgradeRisks(keys, caps);
    },

    watchConnection(listener: (state: ConnectionState) => void): () => void {
      // The client's own state as people see it; the current one first, then every change.
      const stop = client.on('connection', ({ state }) => listener(state));
      listener(client.connection);
      return stop;
    },
  };
}
