/**
 * `auth.sessions` and `auth.terminate_session` (MW@TS-25.10.6:plugins/auth.py:254-309;
 * TS-24.10.2.4 returns nothing from terminate_session; 22.02 has no terminate_session).
 * Revoking, resetting or deleting a key leaves its sessions open: `is_valid` never re-checks the key.
 */
import type { CallContext, MethodDef } from '../context.js';
import { ValidationErrors } from '../errors.js';
import { parseQuery, runQuery } from '../query.js';
import { sessionEntry } from '../sessions.js';
import { checkArity, typeMessage } from './args.js';

function sessions(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['filters', 'options'], 0);
  const list = ctx.sim
    .connectionsList()
    .filter((c) => c.cred && c.sessionStart !== null)
    .sort((a, b) => (a.sessionStart ?? 0) - (b.sessionStart ?? 0))
    .map((c) => sessionEntry(ctx.sim, c, ctx.session));
  return runQuery(ctx.profile, list, parseQuery(ctx.profile, params[0], params[1]));
}

function terminateSession(ctx: CallContext, params: unknown[]): boolean | null {
  checkArity(ctx, params, ['id']);
  const id = params[0];
  if (typeof id !== 'string') throw new ValidationErrors([['id', typeMessage(ctx, 'str'), 22]]);
  const target = ctx.sim.connectionsList().find((c) => c.id === id && c.cred);
  if (!target) return false;
  // Tokens minted by that session die with it (token_manager.destroy_by_session_id).
  for (const [token, t] of ctx.sim.tokens) if (t.creator.id === id) ctx.sim.tokens.delete(token);
  target.terminate();
  return ctx.profile.n >= 2504 ? true : null;
}

export const sessionMethods: MethodDef[] = [
  { name: 'auth.sessions', authz: (p) => (p.n < 2404 ? [] : ['AUTH_SESSIONS_READ']), handler: sessions },
  { name: 'auth.terminate_session', since: 2404, authz: () => ['AUTH_SESSIONS_WRITE'], handler: terminateSession },
];
