/** The method table: every method the simulator knows, filtered per profile. */
import type { MethodDef } from '../context.js';
import type { Profile } from '../profiles.js';
import { apiKeyMethods } from './api-key.js';
import { auditMethods } from './audit.js';
import { authMethods } from './auth.js';
import { coreMethods } from './core.js';
import { groupMethods } from './group.js';
import { privilegeMethods } from './privilege.js';
import { sessionMethods } from './session.js';
import { userMethods } from './user.js';

const ALL: MethodDef[] = [...coreMethods, ...authMethods, ...sessionMethods, ...apiKeyMethods, ...userMethods, ...groupMethods, ...privilegeMethods, ...auditMethods];

/** Methods that exist on this profile, by name. */
export function methodsFor(profile: Profile): Map<string, MethodDef> {
  const map = new Map<string, MethodDef>();
  for (const def of ALL) {
    if ((def.since ?? 0) <= profile.n && profile.n <= (def.until ?? Infinity)) map.set(def.name, def);
  }
  return map;
}

/** Known service namespaces, for the legacy `[ENOMETHOD] Service 'x' not found` vs `Method 'y' not found in 'x'`. */
export function servicesOf(methods: Map<string, MethodDef>): Set<string> {
  return new Set([...methods.keys()].map((name) => name.slice(0, name.lastIndexOf('.'))));
}
