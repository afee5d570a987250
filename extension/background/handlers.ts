/** Every request type's handler, registered on the router. Payloads are checked here. */
import type { CreateKeyInput, UpdateKeyInput } from '../../components/model/api-key.js';
import { isolate } from '../../components/kit.js';
import { ExtensionError, fieldError } from '../shared/errors.js';
import { parseHostAddress } from '../shared/hosts.js';
import { translate } from '../shared/i18n/index.js';
import type { ConnectionReport, HostInput, HostSaveResult, SavedHost } from '../shared/protocol.js';
import type { TrueNasClient } from '../../components/client/index.js';
import { keySessions, keyUsage, planScopedKey, sessionsOfKey, terminateKeySessions } from '../../components/client/index.js';
import { REFUSED_ROLES, SCOPED_PURPOSES, type ScopedKeyInput } from '../../components/model/scoped-key.js';
import { clearNow, copySecret } from './clipboard.js';
import { adopt, cachedCapabilities, capabilitiesOf, clientFor, connectionState, continueWithOtp, disconnect, type HostSecret } from './connections.js';
import { forgetFirstPaint, keepFirstPaint } from './first-paint.js';
import { cachedFleet, refreshFleet, updateBadge } from './fleet.js';
import { saveRefusal, testConnection, testSignIn } from './host-test.js';
import { addressOf, checkHostInput, type CheckedHostInput, getHost, listHosts, recordDetected, removeHostRecord, saveHostRecord } from './hosts.js';
import { cachedKeys, createKey, createScoped, deleteKey, forgetCachedKeys, liveKeys, quickReset, resetKey, updateKey } from './keys.js';
import { handle } from './router.js';
import { removeLocal } from './store.js';
import { getSettings, updateSettings } from './settings.js';
import { array, integer, object, optionalString, string } from './validate.js';
import { listVault, verifyVault } from './vault-view.js';
import { changePassphrase, damagedEntries, deleteDamagedEntry, exportVault, importVault, previewImport } from './vault-transfer.js';
import { lockVault, requireUnlocked, setupVault, toHostAuth, unlockVault, vault, vaultState } from './vault-service.js';

// ---- App state and settings ---------------------------------------------------------------------

handle('app.state', async () => {
  const vault = await vaultState();
  // The host list is sealed under the vault's key: a locked extension names no host.
  return { vault, hosts: vault.locked ? [] : await listHosts(), settings: await getSettings() };
});
handle('settings.update', async (payload) => {
  const update = object(payload);
  // The popup's picture may show what the change alters (expiry badges, the idle lock).
  await forgetFirstPaint();
  const { autoLockMinutes, ...rest } = update;
  if (autoLockMinutes !== undefined) {
    // The vault owns its idle timer; validate like any setting, then apply it there.
    const minutes = (await updateSettings({ autoLockMinutes })).autoLockMinutes;
    await (await requireUnlocked()).setAutoLockDelay(minutes === 0 ? null : minutes * 60_000);
  }
  const settings = Object.keys(rest).length ? await updateSettings(rest) : await getSettings();
  if ('expiringDays' in rest) await updateBadge();
  return settings;
});

// ---- Vault ------------------------------------------------------------------------------------

handle('vault.setup', async (payload) => setupVault(string(object(payload).passphrase, 'passphrase', { max: 1024 })));
handle('vault.unlock', async (payload) => unlockVault(string(object(payload).passphrase, 'passphrase', { max: 1024 })));
handle('vault.lock', async () => lockVault());
handle('vault.list', async (payload) => listVault(object(payload ?? {}).live === true));
handle('vault.verify', async (payload) => {
  const ids = object(payload ?? {}).ids;
  return verifyVault(ids === undefined ? undefined : array(ids, 'ids').map((id) => string(id, 'ids')));
});
handle('vault.reveal', async (payload) => {
  const entry = await (await requireUnlocked()).getKey(string(object(payload).id, 'id'));
  if (!entry) throw new ExtensionError('not-found', translate('ext.vault.error.noEntry'));
  return { secret: entry.secret };
});
handle('vault.copy', async (payload) => {
  const entry = await (await requireUnlocked()).getKey(string(object(payload).id, 'id'));
  if (!entry) throw new ExtensionError('not-found', translate('ext.vault.error.noEntry'));
  return copySecret(entry.secret);
});
handle('vault.update', async (payload) => {
  const p = object(payload);
  const id = string(p.id, 'id');
  const patch: { notes?: string; name?: string } = {};
  const notes = optionalString(p.notes, 'notes', { allowEmpty: true, max: 4000 });
  const name = optionalString(p.name, 'name', { max: 200 });
  if (notes !== undefined) patch.notes = notes;
  if (name !== undefined) patch.name = name;
  const updated = await (await requireUnlocked()).updateKey(id, patch);
  if (!updated) throw new ExtensionError('not-found', translate('ext.vault.error.noEntry'));
  return (await listVault(false)).find((v) => v.id === id)!;
});
handle('vault.delete', async (payload) => {
  if (!(await (await requireUnlocked()).deleteKey(string(object(payload).id, 'id')))) throw new ExtensionError('not-found', translate('ext.vault.error.noEntry'));
  return null;
});
// Export names what it could not include; import is previewed first (vault-transfer.ts).
handle('vault.export', async (payload) => exportVault(string(object(payload).passphrase, 'passphrase', { allowEmpty: true, max: 1024 })));
handle('vault.import', async (payload) => {
  const p = object(payload);
  return importVault(string(p.content, 'content', { max: 64 * 1024 * 1024 }), string(p.passphrase, 'passphrase', { allowEmpty: true, max: 1024 }));
});
handle('vault.importPreview', async (payload) => {
  const p = object(payload);
  return previewImport(string(p.content, 'content', { max: 64 * 1024 * 1024 }), string(p.passphrase, 'passphrase', { allowEmpty: true, max: 1024 }));
});
handle('vault.changePassphrase', async (payload) => {
  const p = object(payload);
  return changePassphrase(string(p.current, 'current', { allowEmpty: true, max: 4096 }), string(p.next, 'next', { allowEmpty: true, max: 4096 }));
});
handle('vault.damaged', async () => damagedEntries());
handle('vault.deleteDamaged', async (payload) => {
  const p = object(payload);
  if (p.store !== 'keys' && p.store !== 'hosts') throw fieldError('store', translate('ext.error.badRequest', 'store'));
  return deleteDamagedEntry({ store: p.store, id: string(p.id, 'id', { max: 64 }) });
});

// ---- Hosts ------------------------------------------------------------------------------------

handle('hosts.parse', async (payload) => parseHostAddress(string(object(payload).address, 'address', { allowEmpty: true, max: 2048 })));

handle('hosts.save', async (payload) => {
  const input = checkHostInput(payload, { requireSecret: !(payload as HostInput | null)?.id });
  await requireUnlocked();
  await forgetFirstPaint();
  const previous = input.id ? await getHost(input.id) : undefined;
  // A changed address or login method needs a new credential: the old one belongs elsewhere.
  if (previous && !input.secret && (previous.address !== input.address.origin || previous.login !== input.login)) {
    throw new ExtensionError('bad-request', translate('ext.host.error.secretNeeded'), {
      fieldErrors: [{ path: 'secret', field: 'secret', message: translate('ext.host.error.secretNeeded'), errno: null }],
    });
  }
  // Refuse a duplicate address before touching the credential stored for it (another host's).
  const clash = (await listHosts()).find((h) => h.address === input.address.origin && h.id !== input.id);
  if (clash) throw fieldError('address', translate('ext.host.error.duplicate', isolate(clash.name)));
  // Test the sign-in before anything is stored, unless the user chose to save an offline NAS anyway.
  let report: ConnectionReport | null = null;
  let signedIn: TrueNasClient | null = null;
  if (!input.saveAnyway) {
    const secret = await secretToTest(input, previous);
    if (secret) {
      ({ report, client: signedIn } = await testSignIn(input, input.address, secret, input.otp));
      const refusal = saveRefusal(report);
      if (refusal) throw refusal;
    }
  }
  try {
    return await storeHost(input, previous, report, signedIn);
  } catch (error) {
    await signedIn?.close().catch(() => undefined);
    throw error;
  }
});

/** Stores a checked (and tested) host and its credential; the tested session becomes the host's connection. */
async function storeHost(input: CheckedHostInput, previous: SavedHost | undefined, report: ConnectionReport | null, signedIn: TrueNasClient | null): Promise<HostSaveResult> {
  const v = await requireUnlocked();
  if (input.secret) await v.saveHostCredential(input.address.origin, toHostAuth(input.login, input.username, input.secret));
  else if (previous && input.login === 'password') {
    // Keep the stored password but follow a username change.
    const stored = await v.getHostCredential(input.address.origin);
    if (stored?.auth.kind === 'password' && stored.auth.username !== input.username) {
      await v.saveHostCredential(input.address.origin, { ...stored.auth, username: input.username ?? '' });
    }
  }
  const hasCredential = input.secret !== undefined || (await v.getHostCredential(input.address.origin)) !== undefined;
  const saved = await saveHostRecord(input, hasCredential);
  if (previous && previous.address !== saved.address) {
    await v.deleteHostCredential(previous.address).catch(() => false);
    await forgetCachedKeys(saved.id);
  }
  disconnect(saved.id);
  if (report?.outcome === 'ok' && report.version && report.protocol) {
    await recordDetected(saved.id, report.version, report.protocol);
    const host = { ...saved, version: report.version, protocol: report.protocol };
    if (signedIn) adopt(host, signedIn);
    return { host, report };
  }
  await signedIn?.close().catch(() => undefined);
  return { host: saved, report };
}

/** The credential a save tests: the one typed in, else (editing) the one stored for the same address. */
async function secretToTest(input: CheckedHostInput, previous: SavedHost | undefined): Promise<HostSecret | null> {
  if (input.secret) return input.login === 'apiKey' ? { kind: 'api-key', apiKey: input.secret } : { kind: 'password', username: input.username ?? '', password: input.secret };
  if (!previous || previous.address !== input.address.origin) return null;
  const stored = await (await requireUnlocked()).getHostCredential(input.address.origin);
  if (!stored) return null;
  return stored.auth.kind === 'api-key' ? { kind: 'api-key', apiKey: stored.auth.apiKey } : { kind: 'password', username: input.username ?? stored.auth.username, password: stored.auth.password };
}

handle('hosts.remove', async (payload) => {
  const id = string(object(payload).id, 'id');
  const host = await getHost(id);
  await forgetFirstPaint();
  // The credential goes with the host; stored keys stay (the vault view shows them as "no saved host").
  if (vault().unlocked) await vault().deleteHostCredential(host.address).catch(() => false);
  disconnect(id);
  await removeHostRecord(id);
  await forgetCachedKeys(id);
  await removeLocal(`caps.${id}`);
  await updateBadge();
  return null;
});

handle('hosts.test', async (payload) => {
  // A test signs in to a NAS: like every NAS request, only with the vault unlocked.
  await requireUnlocked();
  const p = object(payload);
  if (typeof p.id === 'string') {
    const host = await getHost(p.id);
    const address = addressOf(host);
    const credential = await (await requireUnlocked()).getHostCredential(address.origin);
    if (!credential) throw new ExtensionError('auth-failed', translate('ext.host.error.noCredential', host.name));
    const secret = credential.auth.kind === 'api-key' ? { kind: 'api-key' as const, apiKey: credential.auth.apiKey } : { kind: 'password' as const, username: credential.auth.username, password: credential.auth.password };
    const report = await testConnection(host, address, secret, optionalString(p.otp, 'otp'));
    if (report.outcome === 'ok' && report.version && report.protocol) await recordDetected(host.id, report.version, report.protocol);
    return report;
  }
  const input = checkHostInput(object(p.input, 'input'), { requireSecret: true });
  const secret = input.login === 'apiKey' ? { kind: 'api-key' as const, apiKey: input.secret! } : { kind: 'password' as const, username: input.username ?? '', password: input.secret! };
  return testConnection(input, input.address, secret, input.otp);
});

handle('hosts.otp', async (payload) => {
  const p = object(payload);
  const otp = string(p.otp, 'otp', { max: 16 }).trim();
  if (!/^\d{6,8}$/.test(otp)) throw new ExtensionError('bad-request', translate('ext.host.error.otpFormat'), { fieldErrors: [{ path: 'otp', field: 'otp', message: translate('ext.host.error.otpFormat'), errno: null }] });
  const host = await getHost(string(p.id, 'id'));
  const client = await continueWithOtp(host, otp);
  const caps = await client.capabilities();
  return { outcome: 'ok', message: translate('ext.report.okDetail', caps.version, caps.protocol === 'legacy' ? '/websocket' : '/api/current'), version: caps.version, protocol: caps.protocol, openUrl: null };
});

// ---- Keys -------------------------------------------------------------------------------------

/** The host a keys.* request names; every such request needs the vault unlocked (cached ones too). */
const hostOf = async (payload: unknown) => {
  await requireUnlocked();
  return getHost(string(object(payload).hostId, 'hostId'));
};

handle('keys.capabilities', async (payload) => {
  const host = await hostOf(payload);
  if (object(payload).cached === true) {
    const cached = await cachedCapabilities(host.id);
    if (cached) return cached.capabilities;
  }
  return capabilitiesOf(host);
});
handle('keys.list', async (payload) => {
  const host = await hostOf(payload);
  if (object(payload).cached === true) {
    const cached = await cachedKeys(host.id);
    return { keys: cached?.keys ?? [], fetchedAt: cached?.fetchedAt ?? 0, cached: true };
  }
  await requireUnlocked();
  const live = await liveKeys(host);
  void updateBadge();
  return { keys: live.keys, fetchedAt: live.fetchedAt, cached: false };
});
handle('keys.create', async (payload) => createKey(await hostOf(payload), object(object(payload).input, 'input') as unknown as CreateKeyInput));
handle('keys.update', async (payload) => {
  const p = object(payload);
  return updateKey(await hostOf(payload), integer(p.id, 'id'), object(p.input, 'input'));
});
handle('keys.reset', async (payload) => {
  const p = object(payload);
  const changes = p.changes === undefined ? {} : (object(p.changes, 'changes') as Omit<UpdateKeyInput, 'reset'>);
  return resetKey(await hostOf(payload), integer(p.id, 'id'), changes);
});
handle('keys.delete', async (payload) => {
  await deleteKey(await hostOf(payload), integer(object(payload).id, 'id'));
  void updateBadge();
  return null;
});
handle('keys.users', async (payload) => {
  const client = await clientFor(await hostOf(payload));
  return client.users.keyOwners(optionalString(object(payload).search, 'search', { allowEmpty: true, max: 200 }) ?? '');
});
handle('keys.currentUser', async (payload) => {
  const host = await hostOf(payload);
  if (object(payload).cached === true) {
    const cached = await cachedCapabilities(host.id);
    if (cached) return cached.username;
  }
  await clientFor(host);
  return (await cachedCapabilities(host.id))?.username ?? null;
});
handle('keys.quickReset', async (payload) => {
  const result = await quickReset(await hostOf(payload), integer(object(payload).id, 'id'));
  void updateBadge();
  return result;
});
// Honest state (issue 10): the connection state now; changes follow as host-status pushes.
handle('keys.connection', async (payload) => connectionState((await hostOf(payload)).id));

// ---- Key usage, sessions and scoped keys (issue 12) ------------------------------------------------

/** A scoped key's input as the page sent it: an object; its fields are the client's to check. */
function scopedInput(payload: unknown): ScopedKeyInput {
  const input = object(object(payload).input, 'input');
  const purpose = SCOPED_PURPOSES.find((p) => p === input['purpose']);
  if (!purpose) throw new ExtensionError('bad-request', translate('ext.error.badRequest', 'input.purpose'));
  return { ...input, name: string(input['name'], 'input.name', { allowEmpty: true, max: 200 }), purpose };
}

// Maps travel as entry lists (messages carry JSON only); the page's service makes them maps again.
handle('keys.usage', async (payload) => {
  const report = await keyUsage(await clientFor(await hostOf(payload)));
  return report.status === 'ok' ? { ...report, lastUse: [...report.lastUse] } : report;
});
handle('keys.sessions', async (payload) => {
  const report = await keySessions(await clientFor(await hostOf(payload)));
  return report.status === 'ok' ? { ...report, byKey: [...report.byKey] } : report;
});
handle('keys.keySessions', async (payload) => sessionsOfKey(await clientFor(await hostOf(payload)), integer(object(payload).id, 'id')));
handle('keys.endSessions', async (payload) => terminateKeySessions(await clientFor(await hostOf(payload)), integer(object(payload).id, 'id')));
handle('keys.roles', async (payload) => {
  const client = await clientFor(await hostOf(payload));
  // The roles a scoped key may never take are not offered (the plan refuses them again).
  return (await client.accounts.roles()).filter((role) => !(role.name in REFUSED_ROLES));
});
// The client checks the input field by field (a ScopedKeyInputError names the field).
handle('keys.planScoped', async (payload) => planScopedKey(await clientFor(await hostOf(payload)), scopedInput(payload)));
handle('keys.createScoped', async (payload) => createScoped(await hostOf(payload), scopedInput(payload), object(object(payload).plan, 'plan')));

handle('keys.fleet', async (payload) => {
  if (object(payload ?? {}).cached === true) return cachedFleet();
  await requireUnlocked();
  return refreshFleet();
});

// ---- Clipboard --------------------------------------------------------------------------------

handle('clipboard.copy', async (payload) => copySecret(string(object(payload).text, 'text')));
handle('clipboard.clear', async () => {
  await clearNow();
  return null;
});

// ---- Popup --------------------------------------------------------------------------------------

handle('popup.firstPaint', async (payload) => keepFirstPaint(payload));
