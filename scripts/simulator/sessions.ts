/**
 * The session manager: what happens when a connection logs in or out (MW@TS-25.10.6:plugins/auth.py
 * SessionManager.login/logout), how credentials are dumped per era (MW@<tag>:auth.py
 * `dump_credentials`), and the audit records logins write.
 */
import { randomUUID } from 'node:crypto';
import type { CredentialKind, Credentials, SessionState, SimContext } from './context.js';
import type { Row } from './query.js';
import { encodeDate } from './wire.js';

/** `credentials.class_name()`: the SessionManagerCredentials subclass, in SNAKE_CASE. */
export function credentialClass(n: number, cred: Credentials): string {
  const kinds: Record<CredentialKind, string> = { PASSWORD: 'LOGIN_PASSWORD', API_KEY: 'API_KEY', SCRAM: 'API_KEY', TOKEN: 'TOKEN' };
  // 25.04+ has LoginTwofactorSessionManagerCredentials for OTP logins; 24.10 logs them as LOGIN_PASSWORD.
  if (cred.kind === 'PASSWORD' && cred.otp && n >= 2504) return 'LOGIN_TWOFACTOR';
  return kinds[cred.kind];
}

/** `credentials.dump()` per era: 24.10 {username} / {api_key}; 25.04 adds login_at; 25.10 login_id. */
export function credentialData(n: number, cred: Credentials): Row {
  const date = (ms: number | undefined) => encodeDate(ms ?? Date.now(), false);
  if (cred.kind === 'TOKEN') {
    const data: Row = { parent: cred.parent ? dumpCredentials(n, cred.parent) : null };
    if (n >= 2510) data.login_id = cred.loginId ?? null;
    data.username = cred.user ? cred.user.username : null;
    if (n < 2504 && !cred.user) delete data.username;
    return data;
  }
  const key = cred.key ? { id: cred.key.id, name: cred.key.name } : undefined;
  // 22.02-24.10 key sessions are not user sessions: only the key.
  if (n < 2504) return cred.user ? { username: cred.user.username } : { api_key: key };
  const data: Row = { username: cred.user?.username ?? null };
  if (n >= 2510) data.login_id = cred.loginId ?? null;
  data.login_at = date(cred.loginAt);
  if (key && (cred.kind === 'API_KEY' || cred.kind === 'SCRAM')) data.api_key = key;
  return data;
}

export function dumpCredentials(n: number, cred: Credentials): Row {
  return { credentials: credentialClass(n, cred), credentials_data: credentialData(n, cred) };
}

/** `audit_username_from_session` (MW@TS-24.10.2.4/TS-25.10.6:utils/audit.py). */
function auditUsername(n: number, cred: Credentials | null): string {
  if (!cred) return '.UNAUTHENTICATED';
  if (cred.user) return cred.user.username;
  let root: Credentials | undefined = cred;
  while (root?.kind === 'TOKEN') root = root.parent;
  if (n < 2504 && root?.key) return `.API_KEY:${root.key.name}`;
  return '.UNKNOWN';
}

/** `log_audit_message` (24.04+): the record for this connection's current state. */
export function audit(sim: SimContext, session: SessionState, event: string, eventData: Row, success: boolean): void {
  const n = sim.profile.n;
  if (n < 2404) return;
  const cred = session.cred;
  sim.audit.add({
    at: Date.now(),
    address: session.remoteAddress,
    username: auditUsername(n, cred),
    session: session.id,
    event,
    serviceData: {
      vers: { major: 0, minor: 1 },
      origin: session.remoteAddress,
      protocol: 'WEBSOCKET',
      credentials: cred ? dumpCredentials(n, cred) : null,
    },
    eventData,
    success,
  });
}

/** A failed login: the attempted credentials as the middleware writes them (never logged to console). */
export function auditLoginFailure(sim: SimContext, session: SessionState, credentials: string, data: Row, error: string): void {
  audit(sim, session, 'AUTHENTICATION', { credentials: { credentials, credentials_data: data }, error }, false);
}

/** One `auth.sessions` entry, field order as `dict(id, current, internal, **session.dump())`. */
export function sessionEntry(sim: SimContext, session: SessionState, caller: SessionState): Row {
  const n = sim.profile.n;
  const cred = session.cred!;
  const host = session.remoteAddress.includes(':') ? `[${session.remoteAddress}]` : session.remoteAddress;
  const row: Row = { id: session.id, current: session.id === caller.id, internal: false, origin: `${host}:${session.remotePort}` };
  row.credentials = credentialClass(n, cred);
  // 22.02's Session.dump has no credentials_data.
  if (n >= 2212) row.credentials_data = credentialData(n, cred);
  row.created_at = encodeDate(session.sessionStart ?? Date.now(), n < 2212);
  if (n >= 2504) row.secure_transport = session.secure;
  return row;
}

/**
 * The session adopts `cred` (SessionManager.login): every non-internal login, first or again,
 * writes an AUTHENTICATION record (24.04+).
 */
export function establish(sim: SimContext, session: SessionState, cred: Credentials): void {
  const fresh = !session.cred;
  cred.roles = [...(cred.user?.roles ?? cred.roles ?? [])];
  cred.loginAt = Date.now();
  cred.loginId = randomUUID();
  session.cred = cred;
  session.pending = null;
  if (fresh) {
    // guess: the `auth.sessions` ADDED/REMOVED events are not simulated.
    session.sessionStart = Date.now();
  }
  audit(sim, session, 'AUTHENTICATION', { credentials: dumpCredentials(sim.profile.n, cred), error: null }, true);
}

/**
 * SessionManager.logout: explicit `auth.logout`, or the socket closing. On close the credentials
 * stay with the connection object so calls already running finish (the NAS does not cancel them).
 */
export function endSession(sim: SimContext, session: SessionState, closing = false): void {
  const cred = session.cred;
  if (!cred || session.sessionStart === null) return;
  audit(sim, session, 'LOGOUT', { credentials: dumpCredentials(sim.profile.n, cred) }, true);
  if (!closing) session.cred = null;
  session.sessionStart = null;
}
