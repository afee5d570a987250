/** Sample data for demos and tests: keys, owners and host capabilities as the service would return them. */
import type { ApiKey, HostCapabilities, KeyOwner } from '../model/api-key.js';

export function makeKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 7,
    name: 'backup-script',
    username: 'truenas_admin',
    userIdentifier: 70,
    local: true,
    createdAt: Date.UTC(2025, 0, 15, 10, 0, 0),
    expiresAt: null,
    revoked: false,
    revokedReason: null,
    allowlist: null,
    ...overrides,
  };
}

export function makeOwner(username: string, overrides: Partial<KeyOwner> = {}): KeyOwner {
  return { id: 70, uid: 950, username, fullName: username, roles: ['FULL_ADMIN'], local: true, builtin: false, locked: false, ...overrides };
}

export const MODERN: HostCapabilities = {
  version: '25.10.6',
  protocol: 'jsonrpc',
  userLinkedKeys: true,
  allowlist: false,
  revokedReason: true,
  scram: false,
  myKeys: true,
  maxKeysPerUser: 10,
  scopedKeys: true,
  keyUsage: true,
  keySessions: true,
  endSessions: true,
  keyHashScheme: true,
  nextUpgrade: { target: '26.0', revokes: 'sha256-hash' },
};

export const LEGACY: HostCapabilities = {
  version: '24.10.2.4',
  protocol: 'legacy',
  userLinkedKeys: false,
  allowlist: true,
  revokedReason: false,
  scram: false,
  myKeys: false,
  maxKeysPerUser: null,
  scopedKeys: false,
  keyUsage: true,
  keySessions: true,
  endSessions: true,
  keyHashScheme: false,
  nextUpgrade: { target: '25.04', revokes: 'allowlist-dropped' },
};

/** A well-formed secret for key `id` (never a real one). */
export function makeSecret(id = 7): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 64; i++) out += alphabet[(i * 7 + id) % alphabet.length];
  return `${id}-${out}`;
}
