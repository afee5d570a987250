/**
 * Authorization: privilege roles (24.04+; truenas-api.md §3.4) and the legacy allowlists that
 * authorize 22.02-24.10 API-key sessions (§3.3).
 */
import type { SeedAllowlistEntry } from './seed.js';

/** Which roles a role implies (transitively). FULL_ADMIN implies everything and is checked apart. */
const INCLUDES: Record<string, string[]> = {
  READONLY_ADMIN: ['API_KEY_READ', 'ACCOUNT_READ', 'SYSTEM_PRODUCT_READ', 'SYSTEM_GENERAL_READ', 'AUTH_SESSIONS_READ', 'ALERT_LIST_READ'],
  SHARING_ADMIN: ['READONLY_ADMIN', 'SHARING_READ', 'SHARING_WRITE'],
  API_KEY_WRITE: ['API_KEY_READ'],
  ACCOUNT_WRITE: ['ACCOUNT_READ'],
};

export function expandRoles(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  const todo = [...roles];
  while (todo.length) {
    const role = todo.pop()!;
    if (out.has(role)) continue;
    out.add(role);
    todo.push(...(INCLUDES[role] ?? []));
  }
  return out;
}

export function hasRole(roles: readonly string[], role: string): boolean {
  const all = expandRoles(roles);
  return all.has('FULL_ADMIN') || all.has(role);
}

export function isFullAdmin(roles: readonly string[]): boolean {
  return roles.includes('FULL_ADMIN');
}

/** Python's fnmatch on Linux (case-sensitive): `*`, `?`, `[seq]`, `[!seq]`. */
export function fnmatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^(?:${re})$`, 's').test(name);
  } catch {
    return false;
  }
}

/** Whether a legacy allowlist lets a key session CALL a method or SUBSCRIBE to an event. */
export function allowlistPermits(allowlist: readonly SeedAllowlistEntry[], verb: 'CALL' | 'SUBSCRIBE', resource: string): boolean {
  return allowlist.some((e) => (e.method === '*' || e.method === verb) && fnmatch(e.resource, resource));
}
