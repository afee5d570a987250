/**
 * The saved-host registry in `storage.local`, sealed under the vault's key (sealed.ts): names,
 * addresses, login method, detected version. Reading it needs the vault unlocked. No credentials
 * here: those go into the vault (keyed by the host's origin).
 */
import browser from 'webextension-polyfill';
import { isolate } from '../../components/kit.js';
import type { Protocol } from '../../components/model/api-key.js';
import { ExtensionError, fieldError } from '../shared/errors.js';
import { parseHostAddress, plainKeyForbidden, type HostAddress } from '../shared/hosts.js';
import { translate } from '../shared/i18n/index.js';
import type { HostInput, LoginMethod, SavedHost } from '../shared/protocol.js';
import { push } from './events.js';
import { readSealed, writeSealed } from './sealed.js';
import { serialized } from './store.js';

const KEY = 'hosts';
const NAME_MAX = 100;

export async function listHosts(): Promise<SavedHost[]> {
  return (await readSealed<SavedHost[]>(KEY)) ?? [];
}

export async function getHost(id: unknown): Promise<SavedHost> {
  const host = typeof id === 'string' ? (await listHosts()).find((h) => h.id === id) : undefined;
  if (!host) throw new ExtensionError('not-found', translate('ext.host.error.notFound'));
  return host;
}

export function addressOf(host: Pick<SavedHost, 'address'>): HostAddress {
  return parseHostAddress(host.address);
}

/** A validated host input: every field checked, with a field error naming the first problem. */
export interface CheckedHostInput {
  id: string | undefined;
  name: string;
  address: HostAddress;
  login: LoginMethod;
  username: string | null;
  secret: string | undefined;
  allowInsecure: boolean;
  otp: string | undefined;
  /** Save without the sign-in test (the NAS is offline now). */
  saveAnyway: boolean;
}

export function checkHostInput(value: unknown, { requireSecret }: { requireSecret: boolean }): CheckedHostInput {
  if (typeof value !== 'object' || value === null) throw fieldError('name', translate('ext.host.error.nameEmpty'));
  const input = value as Partial<Record<keyof HostInput, unknown>>;
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) throw fieldError('name', translate('ext.host.error.nameEmpty'));
  if (name.length > NAME_MAX) throw fieldError('name', translate('ext.host.error.nameLong', NAME_MAX));
  const address = parseHostAddress(typeof input.address === 'string' ? input.address : '');
  const login = input.login === 'password' ? 'password' : input.login === 'apiKey' ? 'apiKey' : null;
  if (!login) throw fieldError('login', translate('ext.host.error.login'));
  const username = typeof input.username === 'string' && input.username.trim() ? input.username.trim() : null;
  if (login === 'password' && !username) throw fieldError('username', translate('ext.host.error.usernameEmpty'));
  const secret = typeof input.secret === 'string' && input.secret !== '' ? input.secret : undefined;
  if (requireSecret && !secret) throw fieldError('secret', translate(login === 'apiKey' ? 'ext.host.error.keyEmpty' : 'ext.host.error.passwordEmpty'));
  if (secret && login === 'apiKey' && !/^\d+-[A-Za-z0-9]{64}$/.test(secret.trim())) throw fieldError('secret', translate('ext.host.error.keyFormat'));
  const allowInsecure = input.allowInsecure === true;
  if (!address.secure && !address.loopback) {
    if (!allowInsecure) throw fieldError('allowInsecure', translate('ext.host.error.insecureNotAccepted'));
    // Never a plain API key to a remote host over http/ws (TrueNAS 25.04+ would revoke it, and it leaks).
    if (login === 'apiKey' && plainKeyForbidden(address)) throw fieldError('login', translate('ext.host.error.plainKey'));
  }
  const otp = typeof input.otp === 'string' && input.otp.trim() ? input.otp.trim() : undefined;
  if (otp && !/^\d{6,8}$/.test(otp)) throw fieldError('otp', translate('ext.host.error.otpFormat'));
  const id = typeof input.id === 'string' && input.id ? input.id : undefined;
  return { id, name, address, login, username, secret: login === 'apiKey' ? secret?.trim() : secret, allowInsecure, otp, saveAnyway: input.saveAnyway === true };
}

/** Adds or updates a host record. Credentials are stored separately by the caller. */
export function saveHostRecord(input: CheckedHostInput, hasCredential: boolean): Promise<SavedHost> {
  return serialized(KEY, async () => {
    const hosts = await listHosts();
    const existing = input.id ? hosts.find((h) => h.id === input.id) : undefined;
    if (input.id && !existing) throw new ExtensionError('not-found', translate('ext.host.error.notFound'));
    const clash = hosts.find((h) => h.address === input.address.origin && h.id !== input.id);
    if (clash) throw fieldError('address', translate('ext.host.error.duplicate', isolate(clash.name)));
    const sameAddress = existing?.address === input.address.origin;
    const host: SavedHost = {
      id: existing?.id ?? crypto.randomUUID(),
      name: input.name,
      address: input.address.origin,
      login: input.login,
      username: input.username,
      // A new address may be a different NAS: forget what was detected.
      version: sameAddress ? existing.version : null,
      protocol: sameAddress ? existing.protocol : null,
      allowInsecure: input.allowInsecure,
      hasCredential,
      addedAt: existing?.addedAt ?? Date.now(),
    };
    const next = existing ? hosts.map((h) => (h.id === host.id ? host : h)) : [...hosts, host];
    await writeSealed(KEY, next);
    push({ type: 'hosts', hosts: next });
    return host;
  });
}

export function removeHostRecord(id: string): Promise<SavedHost> {
  return serialized(KEY, async () => {
    const hosts = await listHosts();
    const host = hosts.find((h) => h.id === id);
    if (!host) throw new ExtensionError('not-found', translate('ext.host.error.notFound'));
    const next = hosts.filter((h) => h.id !== id);
    await writeSealed(KEY, next);
    push({ type: 'hosts', hosts: next });
    return host;
  });
}

/** Records what a successful connection detected. */
export function recordDetected(id: string, version: string, protocol: Protocol): Promise<void> {
  return serialized(KEY, async () => {
    const hosts = await listHosts();
    const host = hosts.find((h) => h.id === id);
    if (!host || (host.version === version && host.protocol === protocol)) return;
    const next = hosts.map((h) => (h.id === id ? { ...h, version, protocol } : h));
    await writeSealed(KEY, next);
    push({ type: 'hosts', hosts: next });
  });
}

/** Host access is optional and per origin; the user can withdraw it in the browser at any time. */
export async function hasHostPermission(address: HostAddress): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [address.permissionPattern] });
  } catch {
    return false;
  }
}

export async function requireHostPermission(address: HostAddress, hostName: string): Promise<void> {
  if (!(await hasHostPermission(address))) {
    throw new ExtensionError('permission-missing', translate('ext.host.error.permission', hostName, address.origin));
  }
}
