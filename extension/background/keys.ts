/**
 * Key operations on one host through its pooled connection.
 *
 * Once the NAS has answered a create or reset, its new secret exists only in that answer, so
 * nothing after that point may throw it away: the secret goes into the vault when it can, and is
 * returned to the asking page either way, with `stored` saying whether the vault has it and why
 * not. Every change is then read back from the NAS, so what the page reports is the key's real
 * state (a reset can leave a key revoked). Key metadata (never secrets) is cached, sealed under
 * the vault's key (see sealed.ts), so the popup can render at once.
 */
import type { TrueNasClient } from '../../components/client/index.js';
import { NotFoundError, TimeoutError, TransportError, UnreachableError, createScopedKey, planScopedKey } from '../../components/client/index.js';
import type { ScopedKeyInput, ScopedKeyPlan } from '../../components/model/scoped-key.js';
import type { ApiKey, CreateKeyInput, KeyChange, KeyWithSecret, UpdateKeyInput } from '../../components/model/api-key.js';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import type { DeliveredKey, DeliveredScopedKey, QuickResetResult, SavedHost } from '../shared/protocol.js';
import { copySecret } from './clipboard.js';
import { clientFor, issuingSecret } from './connections.js';
import { push } from './events.js';
import { addressOf } from './hosts.js';
import { toWireError } from './router.js';
import { readSealed, removeSealed, writeSealed } from './sealed.js';
import { readLocal, serialized, writeLocal } from './store.js';
import { faultPoint } from './test-hooks.js';
import { requireUnlocked } from './vault-instance.js';

export interface CachedKeys {
  keys: ApiKey[];
  fetchedAt: number;
}


// ---- Cache (bounded: a hostile NAS must not fill storage.local, 10 MB on Chrome) -----------------

/** Largest sealed key list kept per host, and for all hosts together (characters of ciphertext). */
export const CACHE_MAX_PER_HOST = 2 * 1024 * 1024;
export const CACHE_MAX_TOTAL = 6 * 1024 * 1024;
const CACHE_SIZES = 'keys.cacheSizes';
const CACHE_LOCK = 'keys.cache';

const cacheKey = (hostId: string): string => `keys.${hostId}`;

export async function cachedKeys(hostId: string): Promise<CachedKeys | undefined> {
  return readSealed<CachedKeys>(cacheKey(hostId));
}

async function sizes(): Promise<Record<string, number>> {
  return (await readLocal<Record<string, number>>(CACHE_SIZES)) ?? {};
}

async function dropCache(hostId: string): Promise<void> {
  await removeSealed(cacheKey(hostId));
  await writeLocal(CACHE_SIZES, Object.fromEntries(Object.entries(await sizes()).filter(([id]) => id !== hostId)));
}

export function forgetCachedKeys(hostId: string): Promise<void> {
  return serialized(CACHE_LOCK, () => dropCache(hostId));
}

/**
 * Caches a host's list when it fits the budget; a list too large for it is simply not cached (the
 * page still gets it live). A failing write never fails the operation that produced the list.
 */
function writeCache(hostId: string, keys: ApiKey[], fetchedAt = Date.now()): Promise<CachedKeys> {
  const cached = { keys, fetchedAt };
  return serialized(CACHE_LOCK, async () => {
    try {
      // Base64 makes the sealed form about 4/3 of the JSON.
      const estimate = Math.ceil((JSON.stringify(cached).length * 4) / 3) + 64;
      const all = await sizes();
      const others = Object.entries(all).reduce((sum, [id, size]) => (id === hostId ? sum : sum + size), 0);
      if (estimate > CACHE_MAX_PER_HOST || others + estimate > CACHE_MAX_TOTAL) {
        await dropCache(hostId);
        return cached;
      }
      const written = await writeSealed(cacheKey(hostId), cached);
      await writeLocal(CACHE_SIZES, { ...all, [hostId]: written });
    } catch {
      await dropCache(hostId).catch(() => undefined);
    }
    return cached;
  });
}

/** Applies one of our own changes to the cache and tells open pages. Never throws. */
async function changed(hostId: string, change: KeyChange): Promise<void> {
  try {
    const cached = await cachedKeys(hostId);
    if (cached) {
      let keys = cached.keys;
      if (change.type === 'removed') keys = keys.filter((k) => k.id !== change.id);
      else keys = keys.some((k) => k.id === change.key.id) ? keys.map((k) => (k.id === change.key.id ? change.key : k)) : [...keys, change.key];
      await writeCache(hostId, keys, cached.fetchedAt);
    }
  } catch {
    // A locked vault or full storage only costs the cache; the page gets the change below.
  }
  push({ type: 'keys-changed', hostId, change });
}

/** The live key list (also refreshes the cache). */
export async function liveKeys(host: SavedHost, client?: TrueNasClient): Promise<CachedKeys> {
  const c = client ?? (await clientFor(host));
  const keys = await c.apiKeys.query([], { order_by: ['name'] });
  return writeCache(host.id, keys);
}

// ---- Delivering a new secret ---------------------------------------------------------------------

/**
 * New secrets the vault did not take, kept in this background's memory only (never in storage)
 * and stored at the next chance: the next unlock, or the next request while unlocked. The page
 * that asked got the secret too, but a popup can close before it shows it. Dropped once stored,
 * after {@link UNDELIVERED_TTL_MS}, or when the background stops.
 */
const undelivered = new Map<string, { host: SavedHost; result: KeyWithSecret; source: 'create' | 'reset'; notes: string | undefined; at: number }>();
export const UNDELIVERED_TTL_MS = 30 * 60_000;
const UNDELIVERED_MAX = 20;

function holdUndelivered(host: SavedHost, result: KeyWithSecret, source: 'create' | 'reset', notes: string | undefined): void {
  undelivered.set(`${host.id}:${result.key.id}`, { host, result, source, notes, at: Date.now() });
  while (undelivered.size > UNDELIVERED_MAX) undelivered.delete(undelivered.keys().next().value!);
}

let retrying: Promise<number> | null = null;
/** Stores held secrets now (no-op while locked or when none are held). Returns how many went in. */
export function storeUndelivered(): Promise<number> {
  if (undelivered.size === 0) return Promise.resolve(0);
  retrying ??= (async () => {
    let stored = 0;
    for (const [id, held] of [...undelivered]) {
      if (Date.now() - held.at > UNDELIVERED_TTL_MS) {
        undelivered.delete(id);
        continue;
      }
      if (!(await store(held.host, held.result, held.source, held.notes).then(() => true, () => false))) break;
      undelivered.delete(id);
      stored++;
    }
    return stored;
  })().finally(() => {
    retrying = null;
  });
  return retrying;
}

async function store(host: SavedHost, result: KeyWithSecret, source: 'create' | 'reset', notes?: string): Promise<{ id: string; supersededPrevious: boolean }> {
  const vault = await requireUnlocked();
  const origin = addressOf(host).origin;
  const before = await vault.findKey(origin, result.key.id);
  const stored = await vault.saveKey({
    host: origin,
    keyId: result.key.id,
    name: result.key.name,
    secret: result.secret,
    source,
    createdAt: result.key.createdAt,
    expiresAt: result.key.expiresAt,
    ...(notes === undefined ? {} : { notes }),
  });
  return { id: stored.id, supersededPrevious: before !== undefined && before.secret !== result.secret };
}

/** Stores the secret in the vault; never throws: a failure comes back as `stored.saved: false`. */
async function keep(host: SavedHost, result: KeyWithSecret, source: 'create' | 'reset', notes?: string): Promise<Pick<DeliveredKey, 'stored' | 'vaultEntryId' | 'supersededPrevious'>> {
  try {
    await faultPoint('keep');
    const { id, supersededPrevious } = await store(host, result, source, notes);
    return { stored: { saved: true }, vaultEntryId: id, supersededPrevious };
  } catch (error) {
    holdUndelivered(host, result, source, notes);
    return { stored: { saved: false, reason: toWireError(error).message }, vaultEntryId: null, supersededPrevious: false };
  }
}

/** The key as the NAS has it now; the answer we already have if reading it back fails. */
async function readBack(client: TrueNasClient, fallback: ApiKey): Promise<ApiKey> {
  try {
    return await client.apiKeys.getInstance(fallback.id);
  } catch {
    return fallback;
  }
}

/** After the NAS answered with a secret: keep it, read the key back, update the cache, return all. */
async function deliver(host: SavedHost, client: TrueNasClient, result: KeyWithSecret, source: 'create' | 'reset'): Promise<DeliveredKey> {
  const kept = await keep(host, result, source);
  const key = await readBack(client, result.key);
  await changed(host.id, { type: source === 'create' ? 'added' : 'changed', key });
  return { key, secret: result.secret, ...kept };
}

/**
 * A call whose answer carries the only copy of a new secret gets a long timeout (a late answer to
 * a timed-out call is dropped, and with it the secret); when the answer never comes, the message
 * says the NAS may have made the change anyway.
 */
export const SECRET_CALL_TIMEOUT_MS = 120_000;

async function issue(client: TrueNasClient, source: 'create' | 'reset', call: (options: { timeoutMs: number }) => Promise<KeyWithSecret>): Promise<KeyWithSecret> {
  try {
    return await issuingSecret(client, () => call({ timeoutMs: SECRET_CALL_TIMEOUT_MS }));
  } catch (error) {
    // Unreachable: nothing was sent, so the NAS made no change; its own text says so.
    if ((error instanceof TimeoutError || error instanceof TransportError) && !(error instanceof UnreachableError)) {
      throw new ExtensionError('unreachable', translate(source === 'create' ? 'ext.keys.error.createUnanswered' : 'ext.keys.error.resetUnanswered'));
    }
    throw error;
  }
}

export async function createKey(host: SavedHost, input: CreateKeyInput): Promise<DeliveredKey> {
  await requireUnlocked();
  const client = await clientFor(host);
  return deliver(host, client, await issue(client, 'create', (options) => client.apiKeys.create(input, options)), 'create');
}

/** A new secret for a key, with other changes (name, expiry, allowlist) in the same call. */
export async function resetKey(host: SavedHost, id: number, changes: Omit<UpdateKeyInput, 'reset'> = {}): Promise<DeliveredKey> {
  await requireUnlocked();
  const client = await clientFor(host);
  return deliver(host, client, await issue(client, 'reset', (options) => client.apiKeys.reset(id, changes, options)), 'reset');
}

/**
 * A scoped key (25.04+: a service account with only the chosen roles owns it; 22.02/24.10: an
 * allowlist): the client runs the plan and undoes it on failure; once the NAS answered with the
 * secret it is delivered like any new key, with its purpose in the vault entry's notes.
 */
export async function createScoped(host: SavedHost, input: ScopedKeyInput, reviewed: Record<string, unknown>): Promise<DeliveredScopedKey> {
  await requireUnlocked();
  const client = await clientFor(host);
  // Planned again here, so the page's plan is only compared, never run: if the NAS changed since
  // the review (a name taken meanwhile), the admin reviews again rather than get something else.
  const plan = await planScopedKey(client, input);
  if (JSON.stringify(plan.steps) !== JSON.stringify(reviewed['steps'])) throw new ExtensionError('bad-request', translate('ext.scoped.changed'));
  const result = await issuingSecret(client, () => createScopedKey(client, plan));
  const kept = await keep(host, result, 'create', translate('ext.scoped.notes', purposeText(plan), result.created.username ?? result.key.username ?? ''));
  const key = await readBack(client, result.key);
  await changed(host.id, { type: 'added', key });
  return { ...result, key, ...kept };
}

function purposeText(plan: ScopedKeyPlan): string {
  return plan.purpose === 'custom' ? plan.roles.join(', ') : translate(PURPOSE_TERMS[plan.purpose]);
}

const PURPOSE_TERMS = {
  'read-only': 'ext.scoped.purpose.readOnly',
  snapshots: 'ext.scoped.purpose.snapshots',
  replication: 'ext.scoped.purpose.replication',
  sharing: 'ext.scoped.purpose.sharing',
} as const satisfies Record<Exclude<ScopedKeyPlan['purpose'], 'custom'>, string>;

/** Edits a key without a reset (a reset goes through resetKey, the only path that returns the secret). */
export async function updateKey(host: SavedHost, id: number, input: UpdateKeyInput): Promise<ApiKey> {
  if (input.reset) throw new ExtensionError('bad-request', translate('ext.keys.error.resetViaUpdate'));
  await requireUnlocked();
  const client = await clientFor(host);
  const answered = Object.keys(input).length ? await client.apiKeys.update(id, input) : await client.apiKeys.getInstance(id);
  const key = await readBack(client, answered);
  await changed(host.id, { type: 'changed', key });
  return key;
}

/** Deletes a key and checks that the NAS no longer has it. */
export async function deleteKey(host: SavedHost, id: number): Promise<void> {
  await requireUnlocked();
  const client = await clientFor(host);
  await client.apiKeys.delete(id);
  let still: ApiKey;
  try {
    still = await client.apiKeys.getInstance(id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw new ExtensionError('unreachable', translate('ext.keys.error.deleteUnconfirmed'));
    await changed(host.id, { type: 'removed', id });
    return;
  }
  await changed(host.id, { type: 'changed', key: still });
  throw new ExtensionError('nas-error', translate('ext.keys.error.deleteStillThere'));
}

/**
 * Quick reset: resets the key, stores the new secret in the vault (the old one kept as history),
 * and copies it to the clipboard. The secret comes back only when the vault or the clipboard did
 * not take it, so the page can show it: it must reach the user either way.
 */
export async function quickReset(host: SavedHost, id: number): Promise<QuickResetResult> {
  await requireUnlocked();
  const client = await clientFor(host);
  const before = await client.apiKeys.getInstance(id);
  const result = await resetKey(host, id);
  let copied: QuickResetResult['copied'];
  try {
    copied = { ok: true, clearsAt: (await copySecret(result.secret)).clearsAt };
  } catch (error) {
    copied = { ok: false, reason: toWireError(error).message };
  }
  return {
    key: result.key,
    vaultEntryId: result.vaultEntryId,
    stored: result.stored,
    copied,
    clipboardClearsAt: copied.ok ? copied.clearsAt : null,
    wasRevoked: before.revoked,
    revokedReason: before.revokedReason,
    supersededPrevious: result.supersededPrevious,
    ...(result.stored.saved && copied.ok ? {} : { secret: result.secret }),
  };
}
