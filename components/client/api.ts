/**
 * Typed NAS methods over TrueNasClient.call: `api_key.*`, `user.query`, `system.*`. Results are
 * normalised to the shared model; inputs are checked and shaped for the NAS's era.
 */
import type { AllowlistEntry, ApiKey, CreateKeyInput, KeyChange, KeyOwner, KeyWithSecret, UpdateKeyInput } from '../model/api-key.js';
import { ALLOWLIST_METHODS } from '../model/api-key.js';
import type { TrueNasClient } from './client.js';
import { CallError, InsecureTransportError, InvalidInputError, NotFoundError, ProtocolError, logText } from './errors.js';
import type { CallOptions, ClientLogger, CollectionEvent, QueryFilter, QueryOptions, Subscription } from './types.js';
import { mayReceiveKey } from './url.js';
import { API_KEY_PATTERN, encodeDate, isFullEntry, isRecord, newSecretOf, normalizeApiKey, normalizeUser } from './wire.js';

/** Case-insensitive "contains" as a regex both Python's `re.match` and JS accept: `.*[nN][aA][sS]`. */
export function containsPattern(text: string): string {
  let out = '.*';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper && lower.length === 1 && upper.length === 1) out += `[${lower}${upper}]`;
    else out += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return out;
}

/** What the web UI sends on 22.02-24.10 (a key that may call everything). */
export const FULL_ALLOWLIST: AllowlistEntry[] = [{ method: '*', resource: '*' }];

function checkId(id: unknown): number {
  if (!Number.isSafeInteger(id) || (id as number) < 1) throw new InvalidInputError('The key id must be a positive whole number.', 'id');
  return id as number;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidInputError('The key name must be text.', 'name');
  return name;
}

function checkAllowlist(list: unknown): AllowlistEntry[] {
  if (!Array.isArray(list)) throw new InvalidInputError('The allowlist must be a list of {method, resource} entries.', 'allowlist');
  return list.map((entry: unknown) => {
    const e = entry as Partial<AllowlistEntry> | null;
    if (!e || !(ALLOWLIST_METHODS as readonly unknown[]).includes(e.method) || typeof e.resource !== 'string' || e.resource === '') {
      throw new InvalidInputError(`Each allowlist entry needs a method (${ALLOWLIST_METHODS.join(', ')}) and a non-empty resource.`, 'allowlist');
    }
    return { method: e.method!, resource: e.resource };
  });
}

/** `get` queries on ≤24.10 fail with errno 22 and an empty reason; 25.04+ say `MatchNotFound()`. */
function asNotFound(error: unknown): unknown {
  if (error instanceof CallError && !(error instanceof NotFoundError) && error.errno === 22 && (error.reason === '' || error.reason === 'MatchNotFound()')) {
    return new NotFoundError({ method: error.method, errno: error.errno, errname: error.errname, reason: error.reason, rpcCode: error.rpcCode, extra: error.extra });
  }
  return error;
}

export class ApiKeysApi {
  readonly #client: TrueNasClient;
  readonly #log: ClientLogger;

  constructor(client: TrueNasClient, log: ClientLogger) {
    this.#client = client;
    this.#log = log;
  }

  /** Create and reset answer with a new key: never over a connection that would carry it in clear (checked before anything is sent). */
  #refuseKeyInClear(): void {
    if (!mayReceiveKey(this.#client.address)) throw new InsecureTransportError('receive-key', this.#client.address.host);
  }

  /**
   * `api_key.query`; rows the client cannot read are skipped (and logged), never fatal for the list.
   * A `select` always includes `id` and `name` (a row needs them); fields not selected read as null.
   */
  async query(filters: QueryFilter[] = [], options: QueryOptions = {}, callOptions?: CallOptions): Promise<ApiKey[]> {
    const opts: QueryOptions = { ...options };
    if (opts.select && opts.select.length > 0) {
      const names = new Set(opts.select.map((s) => (Array.isArray(s) ? s[1] : s)));
      opts.select = [...(names.has('id') ? [] : ['id']), ...(names.has('name') ? [] : ['name']), ...opts.select];
    }
    return this.#keys('api_key.query', await this.#client.call('api_key.query', [filters, opts], callOptions));
  }

  /** A list answer as keys; rows the client cannot read are skipped (and logged), never fatal for the list. */
  #keys(method: string, result: unknown): ApiKey[] {
    if (!Array.isArray(result)) throw new ProtocolError('The NAS answered a key query with something that is not a list.');
    const keys: ApiKey[] = [];
    for (const row of result) {
      try {
        keys.push(normalizeApiKey(row));
      } catch {
        this.#log.warn?.(`skipped an unreadable ${method} row`);
      }
    }
    return keys;
  }

  /** A call about one entry: the "no such entry" answers of every era become NotFoundError. */
  #callForEntry(method: string, params: unknown[], callOptions: CallOptions | undefined): Promise<unknown> {
    return this.#client.call(method, params, callOptions).catch((e: unknown) => {
      throw asNotFound(e);
    });
  }

  /** `api_key.query` with `count: true`. */
  async count(filters: QueryFilter[] = [], callOptions?: CallOptions): Promise<number> {
    const result = await this.#client.call('api_key.query', [filters, { count: true }], callOptions);
    if (!Number.isSafeInteger(result) || (result as number) < 0) throw new ProtocolError('The NAS answered a count query with something that is not a count.');
    return result as number;
  }

  /** `api_key.query` with `get: true`: the first match, or NotFoundError. */
  async get(filters: QueryFilter[], options: Omit<QueryOptions, 'limit' | 'offset'> = {}, callOptions?: CallOptions): Promise<ApiKey> {
    return normalizeApiKey(await this.#callForEntry('api_key.query', [filters, { ...options, get: true }], callOptions));
  }

  /** `api_key.get_instance`. */
  async getInstance(id: number, callOptions?: CallOptions): Promise<ApiKey> {
    return normalizeApiKey(await this.#callForEntry('api_key.get_instance', [checkId(id)], callOptions));
  }

  /**
   * `api_key.create`. 25.04+: name, username, expiresAt. ≤24.10: name and allowlist (default: full
   * access, as the web UI sends). Fields the NAS's era lacks are refused with a field error.
   */
  async create(input: CreateKeyInput, callOptions?: CallOptions): Promise<KeyWithSecret> {
    this.#refuseKeyInClear();
    if (typeof input !== 'object' || input === null) throw new InvalidInputError('Key details are missing.');
    const caps = await this.#client.capabilities();
    const data = await this.#changes({ name: checkName(input.name), expiresAt: input.expiresAt, allowlist: input.allowlist });
    if (caps.userLinkedKeys) {
      if (input.username !== undefined) data.username = typeof input.username === 'string' ? input.username.trim() : input.username;
    } else {
      if (input.username !== undefined && input.username !== '') throw new InvalidInputError(`Keys on TrueNAS ${caps.version} do not belong to a user (owners arrived in 25.04).`, 'username');
      data.allowlist ??= FULL_ALLOWLIST;
    }
    return this.#withSecret(await this.#client.call('api_key.create', [data], callOptions), { name: data.name, created: true }, callOptions);
  }

  /**
   * `api_key.update` without reset: name, expiresAt (25.04+) or allowlist (≤24.10). A reset must go
   * through `reset()`, which returns the new secret; refusing it here means a secret is never
   * generated on the NAS and then lost.
   */
  async update(id: number, input: UpdateKeyInput, callOptions?: CallOptions): Promise<ApiKey> {
    if (typeof input !== 'object' || input === null) throw new InvalidInputError('Key changes are missing.');
    if (input.reset) this.#refuseKeyInClear();
    if (input.reset) throw new InvalidInputError('A reset returns a new secret: call reset() instead of update() so it is not lost.', 'reset');
    const data = await this.#changes(input);
    return normalizeApiKey(await this.#callForEntry('api_key.update', [checkId(id), data], callOptions));
  }

  /**
   * `api_key.update {reset: true}`: a new secret; also un-revokes a revoked key. Other changes
   * (name, expiry, allowlist) may go in the same call, as TrueNAS's own UI sends them.
   */
  async reset(id: number, changes: Omit<UpdateKeyInput, 'reset'> = {}, callOptions?: CallOptions): Promise<KeyWithSecret> {
    this.#refuseKeyInClear();
    const data = { ...(await this.#changes(changes)), reset: true };
    return this.#withSecret(await this.#callForEntry('api_key.update', [checkId(id), data], callOptions), { id }, callOptions);
  }

  /**
   * A create/reset answer. The NAS has already made the new key (and dropped the old one), so the
   * secret reaches the caller whatever else is odd: an entry that cannot be read is read back by
   * id, and when that fails too the caller gets the id and name it knows (the next list read shows
   * the rest).
   */
  async #withSecret(value: unknown, known: { id?: number; name?: unknown; created?: boolean }, callOptions: CallOptions | undefined): Promise<KeyWithSecret> {
    let secret: string;
    try {
      secret = newSecretOf(value);
    } catch (error) {
      // A new key whose secret cannot be shown is of no use to anyone: remove it, not leave it behind.
      if (known.created && isRecord(value) && Number.isSafeInteger(value.id)) {
        await this.delete(value.id as number, callOptions).catch(() => this.#log.warn?.('could not remove the new key whose secret could not be shown'));
      }
      throw error;
    }
    if (!API_KEY_PATTERN.test(secret)) this.#log.warn?.('the NAS returned a new API key in an unfamiliar format; passing it on as received');
    try {
      return { key: normalizeApiKey(value), secret };
    } catch {
      this.#log.warn?.('the entry in a create/reset answer was unreadable; reading it back');
    }
    const answered = isRecord(value) && Number.isSafeInteger(value.id) ? (value.id as number) : undefined;
    const prefix = API_KEY_PATTERN.exec(secret)?.[1];
    const id = known.id ?? answered ?? (prefix === undefined ? undefined : Number(prefix));
    if (id !== undefined) {
      try {
        return { key: await this.getInstance(id, callOptions), secret };
      } catch {
        this.#log.warn?.('reading back the new key failed; passing on what is known');
      }
    }
    const name = isRecord(value) && typeof value.name === 'string' ? value.name : typeof known.name === 'string' ? known.name : '';
    return { key: normalizeApiKey({ id: id ?? 0, name }), secret };
  }

  /** Name, expiry and allowlist in the shape of this host's era (create and update), refusing fields it does not have. */
  async #changes(input: Omit<UpdateKeyInput, 'reset'>): Promise<Record<string, unknown>> {
    const caps = await this.#client.capabilities();
    const data: Record<string, unknown> = {};
    if (input.name !== undefined) data.name = checkName(input.name);
    if (caps.userLinkedKeys) {
      if (input.allowlist !== undefined) throw new InvalidInputError(`TrueNAS ${caps.version} keys have no allowlist; a key has its owner's privileges.`, 'allowlist');
      if (input.expiresAt !== undefined) data.expires_at = encodeDate(input.expiresAt);
    } else {
      if (input.expiresAt !== undefined && input.expiresAt !== null) throw new InvalidInputError(`Keys on TrueNAS ${caps.version} cannot expire (expiry arrived in 25.04).`, 'expiresAt');
      if (input.allowlist !== undefined) data.allowlist = checkAllowlist(input.allowlist);
    }
    return data;
  }

  /** `api_key.delete`. */
  async delete(id: number, callOptions?: CallOptions): Promise<void> {
    const keyId = checkId(id);
    try {
      await this.#client.call('api_key.delete', [keyId], callOptions);
    } catch (error) {
      // 22.02-24.04 delete an unknown id and then fail on a cache KeyError: errno 22, reason = the id.
      if (error instanceof CallError && error.errno === 22 && error.reason.replace(/'/g, '') === String(keyId)) {
        throw new NotFoundError({ method: error.method, errno: error.errno, errname: error.errname, reason: `ApiKey ${keyId} does not exist`, rpcCode: error.rpcCode, extra: error.extra });
      }
      throw error;
    }
  }

  /** `api_key.my_keys` (25.04+): the signed-in user's own keys. */
  async myKeys(callOptions?: CallOptions): Promise<ApiKey[]> {
    return this.#keys('api_key.my_keys', await this.#client.call('api_key.my_keys', [], callOptions));
  }

  /**
   * Live key changes. Events that carry only an id (23.10-25.04) are completed by fetching the row;
   * the plaintext `key` some versions leak into events is dropped; events are delivered in order.
   */
  async subscribe(listener: (change: KeyChange) => void): Promise<Subscription> {
    let chain = Promise.resolve();
    const emit = (change: KeyChange) => {
      try {
        listener(change);
      } catch (error) {
        this.#log.warn?.(`key change listener threw: ${logText(error)}`);
      }
    };
    const handle = async (event: CollectionEvent) => {
      const id = event.id;
      if (!Number.isSafeInteger(id)) return;
      if (event.msg === 'removed') {
        emit({ type: 'removed', id: id as number });
        return;
      }
      // 22.02/22.12 send CHANGED {cleared: true} just before REMOVED.
      if (event.cleared) return;
      const fields = event.fields ? { ...event.fields, id } : null;
      if (fields && isFullEntry(fields)) {
        emit({ type: event.msg, key: normalizeApiKey(fields) });
        return;
      }
      try {
        emit({ type: event.msg, key: await this.get([['id', '=', id]]) });
      } catch (error) {
        if (!(error instanceof NotFoundError)) this.#log.warn?.(`could not fetch changed key ${String(id)}: ${logText(error)}`);
      }
    };
    return this.#client.subscribe('api_key.query', (event) => {
      chain = chain.then(() => handle(event)).catch(() => undefined);
    });
  }
}

export interface UserQueryOptions extends QueryOptions {
  callOptions?: CallOptions;
}

export class UsersApi {
  readonly #client: TrueNasClient;
  constructor(client: TrueNasClient) {
    this.#client = client;
  }

  /** `user.query`, normalised to KeyOwner. */
  async query(filters: QueryFilter[] = [], options: UserQueryOptions = {}): Promise<KeyOwner[]> {
    const { callOptions, ...queryOptions } = options;
    const result = await this.#client.call('user.query', [filters, queryOptions], callOptions);
    if (!Array.isArray(result)) throw new ProtocolError('The NAS answered the user query with something that is not a list.');
    return result.map(normalizeUser).filter((u): u is KeyOwner => u !== null);
  }

  /**
   * Users who may own keys (25.04+): a non-empty `roles` list, not locked, sorted by username;
   * `search` matches anywhere in the username or full name, ignoring case.
   */
  async keyOwners(search = '', callOptions?: CallOptions): Promise<KeyOwner[]> {
    const filters: QueryFilter[] = [['roles', '!=', []], ['locked', '=', false]];
    const text = typeof search === 'string' ? search.trim() : '';
    if (text) {
      const pattern = containsPattern(text.slice(0, 200));
      filters.push(['OR', [['username', '~', pattern], ['full_name', '~', pattern]]]);
    }
    return this.query(filters, {
      select: ['id', 'uid', 'username', 'full_name', 'roles', 'local', 'builtin', 'locked'],
      order_by: ['username'],
      ...(callOptions ? { callOptions } : {}),
    });
  }
}

export interface SystemInfo {
  version: string;
  hostname: string;
  uptime_seconds?: number;
  [key: string]: unknown;
}

export class SystemApi {
  readonly #client: TrueNasClient;
  constructor(client: TrueNasClient) {
    this.#client = client;
  }

  /** `system.version`, e.g. "TrueNAS-25.10.6". */
  async version(callOptions?: CallOptions): Promise<string> {
    const v = await this.#client.call('system.version', [], callOptions);
    if (typeof v !== 'string') throw new ProtocolError('The NAS reported its version as something that is not text.');
    return v;
  }

  /** `system.info` (READONLY_ADMIN on 24.04+, full admin before). */
  async info(callOptions?: CallOptions): Promise<SystemInfo> {
    const info = await this.#client.call('system.info', [], callOptions);
    if (typeof info !== 'object' || info === null || typeof (info as SystemInfo).version !== 'string') {
      throw new ProtocolError('The NAS sent its system information without a version.');
    }
    return info as SystemInfo;
  }

  /** `core.ping` → "pong" (no sign-in needed from 25.10). */
  async ping(callOptions?: CallOptions): Promise<void> {
    const r = await this.#client.call('core.ping', [], callOptions);
    if (r !== 'pong') throw new ProtocolError('The NAS answered a ping without "pong".');
  }
}
