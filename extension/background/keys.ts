/**
 * Key operations on one host through its pooled connection. Every new secret (create, reset,
 * quick reset) goes into the vault before it is returned, so a key shown once is never lost; the
 * previous secret of a reset moves to the entry's history. Key metadata (never secrets) is cached
 * in storage.local so the popup can render at once and the badge can count without connecting.
 */
import type { TrueNasClient } from '../../components/client/index.js';
import type { ApiKey, CreateKeyInput, KeyChange, KeyWithSecret, UpdateKeyInput } from '../../components/model/api-key.js';
import type { QuickResetResult, SavedHost } from '../shared/protocol.js';
import { copySecret } from './clipboard.js';
import { clientFor } from './connections.js';
import { push } from './events.js';
import { addressOf } from './hosts.js';
import { readLocal, removeLocal, serialized, writeLocal } from './store.js';
import { requireUnlocked } from './vault-service.js';

export interface CachedKeys {
  keys: ApiKey[];
  fetchedAt: number;
}

const cacheKey = (hostId: string): string => `keys.${hostId}`;

export async function cachedKeys(hostId: string): Promise<CachedKeys | undefined> {
  return readLocal<CachedKeys>(cacheKey(hostId));
}

export async function forgetCachedKeys(hostId: string): Promise<void> {
  await removeLocal(cacheKey(hostId));
}

async function writeCache(hostId: string, keys: ApiKey[], fetchedAt = Date.now()): Promise<CachedKeys> {
  const cached = { keys, fetchedAt };
  await writeLocal(cacheKey(hostId), cached);
  return cached;
}

/** Applies one of our own changes to the cache and tells open pages. */
function changed(hostId: string, change: KeyChange): Promise<void> {
  return serialized(cacheKey(hostId), async () => {
    const cached = await cachedKeys(hostId);
    if (cached) {
      let keys = cached.keys;
      if (change.type === 'removed') keys = keys.filter((k) => k.id !== change.id);
      else keys = keys.some((k) => k.id === change.key.id) ? keys.map((k) => (k.id === change.key.id ? change.key : k)) : [...keys, change.key];
      await writeCache(hostId, keys, cached.fetchedAt);
    }
    push({ type: 'keys-changed', hostId, change });
  });
}

/** The live key list (also refreshes the cache). */
export async function liveKeys(host: SavedHost, client?: TrueNasClient): Promise<CachedKeys> {
  const c = client ?? (await clientFor(host));
  const keys = await c.apiKeys.query([], { order_by: ['name'] });
  return serialized(cacheKey(host.id), () => writeCache(host.id, keys));
}

async function storeSecret(host: SavedHost, result: KeyWithSecret, source: 'create' | 'reset'): Promise<{ id: string; supersededPrevious: boolean }> {
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
  });
  return { id: stored.id, supersededPrevious: before !== undefined && before.secret !== result.secret };
}

export async function createKey(host: SavedHost, input: CreateKeyInput): Promise<KeyWithSecret & { vaultEntryId: string | null }> {
  await requireUnlocked();
  const client = await clientFor(host);
  const result = await client.apiKeys.create(input);
  const stored = await storeSecret(host, result, 'create');
  await changed(host.id, { type: 'added', key: result.key });
  return { ...result, vaultEntryId: stored.id };
}

export async function resetKey(host: SavedHost, id: number): Promise<KeyWithSecret & { vaultEntryId: string | null; supersededPrevious: boolean }> {
  await requireUnlocked();
  const client = await clientFor(host);
  const result = await client.apiKeys.reset(id);
  const stored = await storeSecret(host, result, 'reset');
  await changed(host.id, { type: 'changed', key: result.key });
  return { ...result, vaultEntryId: stored.id, supersededPrevious: stored.supersededPrevious };
}

/** Edits a key. A `reset` request is done as a real reset, so the new secret lands in the vault. */
export async function updateKey(host: SavedHost, id: number, input: UpdateKeyInput): Promise<ApiKey> {
  await requireUnlocked();
  const client = await clientFor(host);
  const { reset, ...rest } = input;
  let key = Object.keys(rest).length ? await client.apiKeys.update(id, rest) : undefined;
  if (reset) key = (await resetKey(host, id)).key;
  key ??= await client.apiKeys.getInstance(id);
  await changed(host.id, { type: 'changed', key });
  return key;
}

export async function deleteKey(host: SavedHost, id: number): Promise<void> {
  await requireUnlocked();
  const client = await clientFor(host);
  await client.apiKeys.delete(id);
  await changed(host.id, { type: 'removed', id });
}

/**
 * Quick reset: one action resets the key (un-revoking it if needed), stores the new secret in the
 * vault with the old one kept as history, and copies it to the clipboard. The secret itself is
 * not returned: the page shows what was done.
 */
export async function quickReset(host: SavedHost, id: number): Promise<QuickResetResult> {
  await requireUnlocked();
  const client = await clientFor(host);
  const before = await client.apiKeys.getInstance(id);
  const result = await resetKey(host, id);
  const { clearsAt } = await copySecret(result.secret);
  return {
    key: result.key,
    vaultEntryId: result.vaultEntryId!,
    clipboardClearsAt: clearsAt,
    wasRevoked: before.revoked,
    revokedReason: before.revokedReason,
    supersededPrevious: result.supersededPrevious,
  };
}
