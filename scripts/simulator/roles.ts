/**
 * Authorization: privilege roles (24.04+; truenas-api.md §3.4) and the legacy allowlists that
 * authorize 22.02-24.10 API-key sessions (§3.3).
 */
import { ROLES_2410, ROLES_2504, ROLES_2510, ROLES_2600, type RoleRow } from './role-table.js';
import type { SeedAllowlistEntry } from './seed.js';

/** The role table of a release (22.02 has no roles: its table is empty). */
export function roleTable(n: number): Readonly<Record<string, RoleRow>> {
  if (n >= 2600) return ROLES_2600;
  if (n >= 2510) return ROLES_2510;
  if (n >= 2504) return ROLES_2504;
  if (n >= 2404) return ROLES_2410;
  return {};
}

/**
 * A role with everything it includes, transitively (the middleware's `roles_for_role`).
 * FULL_ADMIN implies everything and is checked apart. Unknown names expand to themselves.
 * Default era 25.10 for callers without a profile.
 */
export function expandRoles(roles: readonly string[], n = 2510): Set<string> {
  const table = roleTable(n);
  const out = new Set<string>();
  const todo = [...roles];
  while (todo.length) {
    const role = todo.pop()!;
    if (out.has(role)) continue;
    out.add(role);
    todo.push(...(table[role]?.[0] ?? []));
  }
  return out;
}

export function hasRole(roles: readonly string[], role: string, n = 2510): boolean {
  const all = expandRoles(roles, n);
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
