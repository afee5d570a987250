/**
 * The `api_key` namespace per era (truenas-api.md §3): 22.02-24.10 allowlisted root-equivalent
 * keys; 25.04+ user-linked keys with expiry and revocation; 25.10 `revoked_reason`; 26.0 SCRAM.
 */
import type { CallContext, MethodDef } from '../context.js';
import { scramDerive, randomAlnum, splitKey } from '../crypto.js';
import { CallError, ERRNO, UnexpectedError, ValidationErrors, Verrors, instanceNotFound, type ValidationTriple } from '../errors.js';
import { parseQuery, runQuery, type Row } from '../query.js';
import { expandRoles } from '../roles.js';
import { ALLOWLIST_METHODS, type SeedAllowlistEntry } from '../seed.js';
import type { KeyRecord, UserRecord } from '../store.js';
import { DateValue, encodeDate, pyRepr } from '../wire.js';
import { checkArity, intArg, isDict } from './args.js';
import { sessionRoles } from './auth.js';

const MASK = '********';
const PER_USER_LIMIT = 10;

const readRoles = (p: { n: number }) => (p.n >= 2504 ? ['API_KEY_READ'] : []);
const writeRoles = (p: { n: number }) => (p.n >= 2504 ? ['API_KEY_WRITE', 'READONLY_ADMIN'] : []);

function caller(ctx: CallContext): UserRecord | null {
  return ctx.session.cred?.user ?? null;
}

/** keyhash/SCRAM material is shown only to FULL_ADMIN and API_KEY_WRITE sessions. */
function masked(ctx: CallContext): boolean {
  const user = caller(ctx);
  if (!user) return false;
  const roles = expandRoles(sessionRoles(ctx.session.cred), ctx.profile.n);
  return !(roles.has('FULL_ADMIN') || roles.has('API_KEY_WRITE'));
}

function date(ctx: CallContext, ms: number): { $date: number } {
  return encodeDate(ms, ctx.profile.n < 2212);
}

/** One `api_key.query` entry as this endpoint's model shapes it (field order is the wire order). */
export function keyEntry(ctx: CallContext, k: KeyRecord, mask: boolean): Row {
  const p = ctx.profile;
  if (p.n < 2504) return { id: k.id, name: k.name, created_at: date(ctx, k.createdAt), allowlist: k.allowlist.map((e) => ({ ...e })) };
  const owner = ctx.sim.store.ownerOf(k);
  const entry: Row = {
    id: k.id,
    name: k.name,
    // guess (25.04): an owner that no longer resolves is shown as "" like the v25.04 adapter does.
    username: owner ? owner.username : ctx.apiN >= 2510 ? null : '',
    user_identifier: k.userIdentifier,
  };
  // guess: 26.0 puts the SCRAM fields where keyhash was (the spec lists them, not their order).
  if (p.n >= 2600 && ctx.apiN >= 2600) {
    const s = k.scram!;
    entry.iterations = s.iterations;
    entry.salt = mask ? MASK : s.salt;
    entry.stored_key = mask ? MASK : s.storedKey;
    entry.server_key = mask ? MASK : s.serverKey;
  } else {
    // guess: a pinned v25.x endpoint on 26.0 has no keyhash to show (no sha512 hash exists).
    entry.keyhash = mask || !k.hash ? MASK : k.hash;
  }
  entry.created_at = date(ctx, k.createdAt);
  entry.expires_at = k.expiry > 0 ? date(ctx, k.expiry * 1000) : null;
  entry.local = owner !== undefined;
  entry.revoked = k.expiry === -1 || owner === undefined;
  if (ctx.apiN >= 2510) entry.revoked_reason = owner === undefined ? 'User does not exist' : k.revokedReason;
  return entry;
}

function allRows(ctx: CallContext, mask: boolean): Row[] {
  return [...ctx.sim.store.keys.values()].sort((a, b) => a.id - b.id).map((k) => keyEntry(ctx, k, mask));
}

/** Events by era (§5): fields in 22.02 and 25.10+, id only in between; 22.02 sends `cleared` first. */
function emit(ctx: CallContext, type: 'ADDED' | 'CHANGED' | 'REMOVED', id: number, fields?: Row): void {
  const n = ctx.profile.n;
  const withFields = n < 2310 || n >= 2510;
  if (type === 'REMOVED') {
    if (n < 2310) ctx.sim.publish('api_key.query', 'CHANGED', { id, cleared: true });
    ctx.sim.publish('api_key.query', 'REMOVED', { id });
    return;
  }
  ctx.sim.publish('api_key.query', type, withFields && fields ? { id, fields } : { id });
}

function query(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['filters', 'options'], 0);
  const q = parseQuery(ctx.profile, params[0], params[1]);
  return runQuery(ctx.profile, allRows(ctx, masked(ctx)), q);
}

function getInstance(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['id', 'options'], 1);
  const id = params[0];
  const q = parseQuery(ctx.profile, [], params[1]);
  q.options.get = true;
  const row = allRows(ctx, masked(ctx)).find((r) => r.id === id);
  if (!row) throw instanceNotFound('ApiKey', id);
  return runQuery(ctx.profile, [row], q);
}

// ---- 22.02-24.10 ------------------------------------------------------------------------------

/** Shape checks of the legacy create/update payload (22.02 schema; pydantic models in 24.10). */
function checkLegacyPayload(ctx: CallContext, schema: string, data: unknown, creating: boolean): Record<string, unknown> {
  const pyd = ctx.profile.n >= 2410;
  const errors: ValidationTriple[] = [];
  const add = (path: string, msg: string) => errors.push([path, msg, 22]);
  if (!isDict(data)) {
    throw new ValidationErrors([[schema, pyd ? `Input should be a valid dictionary or instance of ${creating ? 'ApiKeyCreate' : 'ApiKeyUpdate'}` : 'A dict was expected', 22]]);
  }
  const allowed = creating ? ['name', 'allowlist'] : ['name', 'allowlist', 'reset'];
  for (const key of Object.keys(data)) {
    if (!allowed.includes(key)) add(`${schema}.${key}`, pyd ? 'Extra inputs are not permitted' : 'Field was not expected');
  }
  if ('name' in data || creating) {
    const name = data.name;
    if (name === undefined) add(`${schema}.name`, pyd ? 'Field required' : 'attribute required');
    else if (typeof name !== 'string') add(`${schema}.name`, pyd ? 'Input should be a valid string' : 'Not a string');
    else if (name === '') add(`${schema}.name`, pyd ? 'String should have at least 1 character' : 'Empty value not allowed');
    else if (pyd && [...name].length > 200) add(`${schema}.name`, 'String should have at most 200 characters');
  }
  if ('allowlist' in data) {
    const list = data.allowlist;
    if (!Array.isArray(list)) add(`${schema}.allowlist`, pyd ? 'Input should be a valid list' : 'Not a list');
    else {
      list.forEach((item, i) => {
        const base = `${schema}.allowlist.${i}`;
        if (!isDict(item)) {
          add(base, pyd ? 'Input should be a valid dictionary or instance of AllowListItem' : 'A dict was expected');
          return;
        }
        for (const key of Object.keys(item)) {
          if (key !== 'method' && key !== 'resource') add(`${base}.${key}`, pyd ? 'Extra inputs are not permitted' : 'Field was not expected');
        }
        if (item.method === undefined) add(`${base}.method`, pyd ? 'Field required' : 'attribute required');
        else if (!(ALLOWLIST_METHODS as readonly unknown[]).includes(item.method)) {
          add(`${base}.method`, pyd ? "Input should be 'GET', 'POST', 'PUT', 'DELETE', 'CALL', 'SUBSCRIBE' or '*'" : `Invalid choice: ${String(item.method)}`);
        }
        if (item.resource === undefined) add(`${base}.resource`, pyd ? 'Field required' : 'attribute required');
        else if (typeof item.resource !== 'string') add(`${base}.resource`, pyd ? 'Input should be a valid string' : 'Not a string');
        else if (pyd && item.resource === '') add(`${base}.resource`, 'String should have at least 1 character');
      });
    }
  } else if (creating && pyd) {
    add(`${schema}.allowlist`, 'Field required');
  }
  if ('reset' in data && typeof data.reset !== 'boolean') add(`${schema}.reset`, pyd ? 'Input should be a valid boolean' : 'Not a boolean');
  if (errors.length) throw new ValidationErrors(errors);
  return data;
}

function nameTaken(ctx: CallContext, name: string, except?: number): boolean {
  return [...ctx.sim.store.keys.values()].some((k) => k.name === name && k.id !== except);
}

function createLegacy(ctx: CallContext, raw: unknown): Row {
  const data = checkLegacyPayload(ctx, 'api_key_create', raw, true);
  const name = data.name as string;
  if (nameTaken(ctx, name)) throw new ValidationErrors([['api_key_create.name', 'Object with this name already exists', 22]]);
  const store = ctx.sim.store;
  // 22.02 defaults a missing allowlist to [*,*] (22.12-24.04 to [], 24.10 requires it).
  const allowlist = (data.allowlist as SeedAllowlistEntry[] | undefined) ?? [{ method: '*', resource: '*' }];
  const record: KeyRecord = {
    id: store.nextKeyId++,
    name,
    createdAt: Date.now(),
    allowlist: allowlist.map((e) => ({ method: e.method, resource: e.resource })),
    userIdentifier: store.admin.id,
    expiry: 0,
    revokedReason: null,
  };
  const issued = store.setSecret(record, randomAlnum(64));
  store.keys.set(record.id, record);
  store.save();
  // The result follows the input dict's key order; the server appends created_at, id and key.
  const result: Row = {};
  for (const key of Object.keys(data)) result[key] = key === 'allowlist' ? record.allowlist : data[key];
  if (!('allowlist' in result)) result.allowlist = record.allowlist;
  result.created_at = date(ctx, record.createdAt);
  result.id = record.id;
  result.key = issued.key;
  emit(ctx, 'ADDED', record.id, result);
  return result;
}

function updateLegacy(ctx: CallContext, idArg: unknown, raw: unknown): Row {
  const id = intArg(ctx, idArg, 'id');
  const data = checkLegacyPayload(ctx, 'api_key_update', raw, false);
  const store = ctx.sim.store;
  const record = store.keys.get(id);
  if (!record) throw instanceNotFound('ApiKey', id);
  if (typeof data.name === 'string' && nameTaken(ctx, data.name, id)) {
    throw new ValidationErrors([['api_key_update.name', 'Object with this name already exists', 22]]);
  }
  if (typeof data.name === 'string') record.name = data.name;
  if (Array.isArray(data.allowlist)) record.allowlist = (data.allowlist as SeedAllowlistEntry[]).map((e) => ({ method: e.method, resource: e.resource }));
  const result = keyEntry(ctx, record, false);
  if (data.reset === true) result.key = store.setSecret(record, randomAlnum(64)).key;
  store.save();
  emit(ctx, 'CHANGED', id, result);
  return result;
}

function deleteLegacy(ctx: CallContext, id: unknown): boolean {
  const store = ctx.sim.store;
  const record = typeof id === 'number' ? store.keys.get(id) : undefined;
  if (!record) {
    // 22.02 deletes the (absent) row, then the cache pop raises KeyError(id); 24.10 checks first.
    if (ctx.profile.n < 2410) throw new UnexpectedError('KeyError', pyRepr(id));
    throw instanceNotFound('ApiKey', id);
  }
  store.keys.delete(record.id);
  store.save();
  emit(ctx, 'REMOVED', record.id);
  return true;
}

// ---- 25.04+ -----------------------------------------------------------------------------------

interface ModernPayload {
  name?: string;
  username?: string;
  /** undefined = not sent; null = never expires; else epoch ms. */
  expiresAt?: number | null;
  reset?: boolean;
}

/** Pydantic (strict, extra=forbid) checks of the create/update models. */
function checkModernPayload(schema: 'api_key_create' | 'api_key_update', data: unknown): ModernPayload {
  const creating = schema === 'api_key_create';
  if (!isDict(data)) {
    throw new ValidationErrors([[schema, `Input should be a valid dictionary or instance of ${creating ? 'ApiKeyCreate' : 'ApiKeyUpdate'}`, 22]]);
  }
  const errors: ValidationTriple[] = [];
  const add = (field: string, msg: string) => errors.push([`${schema}.${field}`, msg, 22]);
  const out: ModernPayload = {};
  if ('name' in data || creating) {
    const name = data.name;
    if (name === undefined) add('name', 'Field required');
    else if (typeof name !== 'string') add('name', 'Input should be a valid string');
    else if (name.length === 0) add('name', 'String should have at least 1 character');
    else if ([...name].length > 200) add('name', 'String should have at most 200 characters');
    else out.name = name;
  }
  if (creating) {
    const username = data.username;
    // guess: the LocalUsername | RemoteUsername union qualifies type errors with branch names on a
    // real NAS; we report them on the field itself.
    if (username === undefined) add('username', 'Field required');
    else if (typeof username !== 'string') add('username', 'Input should be a valid string');
    else if (username.length === 0) add('username', 'String should have at least 1 character');
    else out.username = username;
  }
  if ('expires_at' in data) {
    const v = data.expires_at;
    if (v === null) out.expiresAt = null;
    else if (v instanceof DateValue) out.expiresAt = v.ms;
    else add('expires_at', 'Input should be a valid datetime');
  }
  if (!creating && 'reset' in data) {
    if (typeof data.reset !== 'boolean') add('reset', 'Input should be a valid boolean');
    else out.reset = data.reset;
  }
  const allowed = creating ? ['name', 'username', 'expires_at'] : ['name', 'expires_at', 'reset'];
  for (const key of Object.keys(data)) if (!allowed.includes(key)) add(key, 'Extra inputs are not permitted');
  if (errors.length) throw new ValidationErrors(errors);
  return out;
}

function requirePrivilegeFor(ctx: CallContext, ownerName: string | undefined): void {
  const me = caller(ctx);
  if (!me) throw new CallError('Not a user session', ERRNO.EINVAL);
  const roles = expandRoles(sessionRoles(ctx.session.cred), ctx.profile.n);
  if (roles.has('FULL_ADMIN') || roles.has('API_KEY_WRITE')) return;
  if (ownerName === me.username) return;
  throw new CallError(`${me.username}: authenticated user lacks privileges to create or modify API keys of other users.`, ERRNO.EACCES);
}

/** The create/reset result: the entry (query model) plus `key`, and `client_key` on 26.0. */
function withSecret(ctx: CallContext, record: KeyRecord, mask: boolean, issued: { key: string; clientKey?: string }, identifierAsString: boolean): Row {
  const entry = keyEntry(ctx, record, mask);
  if (identifierAsString && 'user_identifier' in entry) entry.user_identifier = String(record.userIdentifier);
  entry.key = issued.key;
  if (issued.clientKey !== undefined && ctx.apiN >= 2600) entry.client_key = issued.clientKey;
  return entry;
}

function createModern(ctx: CallContext, raw: unknown): Row {
  const data = checkModernPayload('api_key_create', raw);
  requirePrivilegeFor(ctx, data.username);
  const store = ctx.sim.store;
  const verrors = new Verrors();
  if (nameTaken(ctx, data.name!)) verrors.add('api_key_create', 'name must be unique');
  if (typeof data.expiresAt === 'number' && data.expiresAt <= Date.now()) verrors.add('api_key_create', 'Expiration date is in the past');
  const owner = store.userByName(data.username!);
  if (!owner) verrors.add('api_key_create', 'User does not exist.');
  else if (owner.roles.length === 0) verrors.add('api_key_create', 'User lacks privilege role membership.');
  else if (ctx.profile.n < 2600 && store.keysOwnedBy(owner).length >= PER_USER_LIMIT) {
    verrors.add('api_key_create.username', `User already meets or exceeds maximum per-user API key limit of ${PER_USER_LIMIT}`);
  }
  verrors.check();
  const record: KeyRecord = {
    id: store.nextKeyId++,
    name: data.name!,
    createdAt: Date.now(),
    allowlist: [],
    userIdentifier: owner!.id,
    expiry: typeof data.expiresAt === 'number' ? Math.floor(data.expiresAt / 1000) : 0,
    revokedReason: null,
  };
  const issued = store.setSecret(record, randomAlnum(64));
  store.keys.set(record.id, record);
  store.save();
  // 25.10+ events carry the raw create result: plaintext key and unmasked hash (reproduced on purpose).
  // guess: the raw dict has the same shape as the create result (string user_identifier, client_key).
  emit(ctx, 'ADDED', record.id, withSecret(ctx, record, false, issued, true));
  return withSecret(ctx, record, masked(ctx), issued, true);
}

function updateModern(ctx: CallContext, idArg: unknown, raw: unknown): Row {
  const id = intArg(ctx, idArg, 'id');
  const data = checkModernPayload('api_key_update', raw);
  const store = ctx.sim.store;
  const record = store.keys.get(id);
  // The old row is read with query(..., {get: true}): a missing id is MatchNotFound, not ENOENT.
  if (!record) throw new UnexpectedError('MatchNotFound', '', 'MatchNotFound()', true);
  requirePrivilegeFor(ctx, store.ownerOf(record)?.username);
  const name = data.name ?? record.name;
  const expiresMs = data.expiresAt !== undefined ? data.expiresAt : record.expiry > 0 ? record.expiry * 1000 : null;
  const verrors = new Verrors();
  if (nameTaken(ctx, name, id)) verrors.add('api_key_update', 'name must be unique');
  // Validation runs on the merged record, so renaming an already expired key fails too.
  // guess: the merged checks are uniqueness and expiry; owner checks run only at create.
  if (expiresMs !== null && expiresMs <= Date.now()) verrors.add('api_key_update', 'Expiration date is in the past');
  verrors.check();
  record.name = name;
  // A revoked key stays revoked: the stored row (expiry -1) is merged and compress() forces
  // expiry=-1 again; only reset clears revocation (MW@TS-25.04.2.6 plugins/api_key.py).
  if (data.expiresAt !== undefined && (record.expiry !== -1 || data.reset)) record.expiry = data.expiresAt === null ? 0 : Math.floor(data.expiresAt / 1000);
  let issued: { key: string; clientKey?: string } | undefined;
  if (data.reset) {
    // guess: reset un-revokes; revocation overwrote the expiry (-1), so the key comes back
    // non-expiring unless expires_at is sent with the reset (as the web UI always does).
    if (record.expiry === -1) record.expiry = 0;
    issued = store.setSecret(record, randomAlnum(64));
  }
  store.save();
  const result = (mask: boolean) => (issued ? withSecret(ctx, record, mask, issued, false) : keyEntry(ctx, record, mask));
  emit(ctx, 'CHANGED', id, result(false));
  return result(masked(ctx));
}

function deleteModern(ctx: CallContext, idArg: unknown): boolean {
  const id = intArg(ctx, idArg, 'id');
  const store = ctx.sim.store;
  const record = store.keys.get(id);
  if (!record) throw instanceNotFound('ApiKey', id);
  requirePrivilegeFor(ctx, store.ownerOf(record)?.username);
  store.keys.delete(id);
  store.save();
  emit(ctx, 'REMOVED', id);
  return true;
}

function myKeys(ctx: CallContext, params: unknown[]): Row[] {
  checkArity(ctx, params, []);
  const me = caller(ctx);
  if (!me) throw new CallError('Not a user session', ERRNO.EINVAL);
  const store = ctx.sim.store;
  return store.keysOwnedBy(me).map((k) => keyEntry(ctx, k, masked(ctx)));
}

function convertRawKey(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, ['raw_key']);
  const given = params[0];
  if (typeof given !== 'string') throw new ValidationErrors([['raw_key', 'Input should be a valid string', 22]]);
  // MW@TS-26.0.0-BETA.3:plugins/api_key.py:409-448 strips whitespace first.
  const raw = given.trim();
  // The checks collect their errors (verrors), as in the source.
  const v = new Verrors();
  let record: KeyRecord | undefined;
  let id = 0;
  let secret = '';
  if (!/^\d+-[A-Za-z0-9]{64}$/.test(raw)) v.add('api_key_convert_raw_key', 'Not a valid raw API key');
  else {
    const parts = splitKey(raw)!;
    id = parts.id;
    secret = parts.secret;
    if (id <= 0) v.add('api_key_convert_raw_key', 'Invalid key id');
    if (secret.length !== 64) v.add('api_key_convert_raw_key', 'Unexpected key size.');
    record = ctx.sim.store.keys.get(id);
    if (!record) v.add('api_key_convert_raw_key', 'Key does not exist.');
    // A key whose owner no longer resolves shows revoked, so it counts as revoked.
    else if (record.expiry === -1 || !ctx.sim.store.ownerOf(record)) v.add('api_key_convert_raw_key', 'Key is revoked.');
  }
  v.check();
  // guess: the conversion derives from the given secret with the stored salt; it does not verify it.
  const m = record!.scram!;
  const d = scramDerive(secret, Buffer.from(m.salt, 'base64'), m.iterations);
  return {
    api_key_id: id,
    iterations: m.iterations,
    salt: m.salt,
    client_key: d.clientKey.toString('base64'),
    stored_key: d.storedKey.toString('base64'),
    server_key: d.serverKey.toString('base64'),
  };
}

export const apiKeyMethods: MethodDef[] = [
  { name: 'api_key.query', authz: readRoles, handler: query },
  { name: 'api_key.get_instance', authz: readRoles, handler: getInstance },
  {
    name: 'api_key.create',
    authz: writeRoles,
    handler(ctx, params) {
      checkArity(ctx, params, ['api_key_create']);
      return ctx.profile.n >= 2504 ? createModern(ctx, params[0]) : createLegacy(ctx, params[0]);
    },
  },
  {
    name: 'api_key.update',
    authz: writeRoles,
    handler(ctx, params) {
      checkArity(ctx, params, ['id', 'api_key_update']);
      return ctx.profile.n >= 2504 ? updateModern(ctx, params[0], params[1]) : updateLegacy(ctx, params[0], params[1]);
    },
  },
  {
    name: 'api_key.delete',
    authz: writeRoles,
    handler(ctx, params) {
      checkArity(ctx, params, ['id']);
      return ctx.profile.n >= 2504 ? deleteModern(ctx, params[0]) : deleteLegacy(ctx, params[0]);
    },
  },
  { name: 'api_key.my_keys', since: 2504, authz: () => ['API_KEY_READ', 'READONLY_ADMIN'], handler: myKeys },
  { name: 'api_key.convert_raw_key', since: 2600, apiSince: 2600, authz: () => ['API_KEY_READ'], handler: convertRawKey },
];
