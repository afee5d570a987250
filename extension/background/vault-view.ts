/**
 * The vault view: stored keys (never their secrets) with drift marks from the live NAS. The
 * NAS has no field that changes on a reset, so `api_key.query` tells whether a stored key still
 * exists (`missing` when its id is gone, or was reused by a newer key) and whether it is revoked;
 * whether the stored secret still works ("reset elsewhere") is checked on request by signing in
 * with it, over an encrypted or loopback connection only.
 */
import { CredentialExpiredError, InvalidCredentialsError } from '../../components/client/index.js';
import type { ApiKey } from '../../components/model/api-key.js';
import { translate } from '../shared/i18n/index.js';
import type { DriftState, SavedHost, VaultKeyView } from '../shared/protocol.js';
import type { StoredApiKey } from '../vault/model.js';
import { newClient } from './connections.js';
import { addressOf, hasHostPermission, listHosts } from './hosts.js';
import { cachedKeys, liveKeys } from './keys.js';
import { toWireError } from './router.js';
import { readLocal, serialized, writeLocal } from './store.js';
import { requireUnlocked } from './vault-instance.js';

const VERIFIED = 'vault.verified';
type Verified = Record<string, { storedAt: number; state: 'verified' | 'reset-elsewhere'; checkedAt: number }>;

interface HostKeys {
  host: SavedHost;
  keys: ApiKey[] | null;
  error: string | null;
}

async function hostKeys(hosts: SavedHost[], origins: Set<string>, live: boolean): Promise<Map<string, HostKeys>> {
  const out = new Map<string, HostKeys>();
  await Promise.all(
    hosts
      .filter((h) => origins.has(h.address))
      .map(async (host) => {
        try {
          const list = live ? await liveKeys(host) : await cachedKeys(host.id);
          out.set(host.address, { host, keys: list?.keys ?? null, error: null });
        } catch (error) {
          out.set(host.address, { host, keys: (await cachedKeys(host.id))?.keys ?? null, error: toWireError(error).message });
        }
      }),
  );
  return out;
}

function drift(entry: StoredApiKey, hk: HostKeys | undefined, verified: Verified): { drift: DriftState; note: string | null } {
  if (!hk) return { drift: 'unknown', note: translate('ext.drift.noHost') };
  if (!hk.keys) return { drift: 'unknown', note: hk.error ?? translate('ext.drift.notLoaded') };
  const live = entry.keyId === null ? undefined : hk.keys.find((k) => k.id === entry.keyId);
  // Ids can be reused after a delete: a different creation time means a different key.
  if (!live || (entry.createdAt !== null && live.createdAt !== null && Math.abs(live.createdAt - entry.createdAt) > 1000)) return { drift: 'missing', note: null };
  if (live.revoked) return { drift: 'revoked', note: live.revokedReason };
  const check = verified[entry.id];
  if (check && check.storedAt === entry.storedAt) return { drift: check.state, note: null };
  return { drift: 'present', note: hk.error };
}

function view(entry: StoredApiKey, hk: HostKeys | undefined, verified: Verified): VaultKeyView {
  const d = drift(entry, hk, verified);
  return {
    id: entry.id,
    host: entry.host,
    hostId: hk?.host.id ?? null,
    hostName: hk?.host.name ?? null,
    keyId: entry.keyId,
    name: entry.name,
    notes: entry.notes,
    source: entry.source,
    storedAt: entry.storedAt,
    updatedAt: entry.updatedAt,
    history: entry.history.map((h) => ({ storedAt: h.storedAt, supersededAt: h.supersededAt })),
    drift: d.drift,
    driftNote: d.note,
  };
}

export async function listVault(live: boolean): Promise<VaultKeyView[]> {
  const vault = await requireUnlocked();
  const { items } = await vault.listKeys();
  const hosts = await listHosts();
  const lists = await hostKeys(hosts, new Set(items.map((i) => i.host)), live);
  const verified = (await readLocal<Verified>(VERIFIED)) ?? {};
  return items.map((entry) => view(entry, lists.get(entry.host), verified));
}

/** Signs in with each stored secret (one at a time per host: sign-ins are rate limited). */
export async function verifyVault(ids: string[] | undefined): Promise<VaultKeyView[]> {
  const vault = await requireUnlocked();
  const { items } = await vault.listKeys();
  const hosts = await listHosts();
  const lists = await hostKeys(hosts, new Set(items.map((i) => i.host)), true);
  const wanted = items.filter((i) => !ids || ids.includes(i.id));
  const results: Verified = {};
  const notes = new Map<string, string>();
  const byHost = new Map<string, StoredApiKey[]>();
  for (const entry of wanted) byHost.set(entry.host, [...(byHost.get(entry.host) ?? []), entry]);
  await Promise.all(
    [...byHost].map(async ([origin, entries]) => {
      const hk = lists.get(origin);
      if (!hk?.keys || !(await hasHostPermission(addressOf(hk.host)))) return;
      for (const entry of entries) {
        const live = hk.keys.find((k) => k.id === entry.keyId);
        if (!live || live.revoked) continue;
        const client = newClient(addressOf(hk.host));
        try {
          await client.login(live.username ? { type: 'apiKey', key: entry.secret, username: live.username } : { type: 'apiKey', key: entry.secret });
          results[entry.id] = { storedAt: entry.storedAt, state: 'verified', checkedAt: Date.now() };
        } catch (error) {
          if (error instanceof InvalidCredentialsError || error instanceof CredentialExpiredError) {
            results[entry.id] = { storedAt: entry.storedAt, state: 'reset-elsewhere', checkedAt: Date.now() };
          } else notes.set(entry.id, toWireError(error).message);
        } finally {
          await client.close().catch(() => undefined);
        }
      }
    }),
  );
  await serialized(VERIFIED, async () => writeLocal(VERIFIED, { ...((await readLocal<Verified>(VERIFIED)) ?? {}), ...results }));
  const verified = (await readLocal<Verified>(VERIFIED)) ?? {};
  return items.map((entry) => {
    const v = view(entry, lists.get(entry.host), verified);
    const note = notes.get(entry.id);
    return note && v.drift === 'present' ? { ...v, driftNote: note } : v;
  });
}
