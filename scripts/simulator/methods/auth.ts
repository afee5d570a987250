/**
 * The `auth` namespace per era (truenas-api.md §2): legacy boolean logins, `auth.login_ex` with
 * every response type, the OTP step, tokens, SCRAM-SHA-512 (26.0) and the insecure-transport
 * revocation of API keys (25.04+).
 */
import { randomBytes } from 'node:crypto';
import type { CallContext, Credentials, MethodDef } from '../context.js';
import { hmacSha512, newToken, safeEqual, sha512, splitKey, verifyTotp } from '../crypto.js';
import { CallError, ERRNO, UnexpectedError, ValidationErrors, type ValidationTriple } from '../errors.js';
import type { Row } from '../query.js';
import { expandRoles } from '../roles.js';
import { auditLoginFailure, endSession, establish } from '../sessions.js';
import type { KeyRecord, UserRecord } from '../store.js';
import { checkArity, isDict, isInt, typeMessage } from './args.js';
import { os } from './os-facts.js';

/** The roles a session acts with: those composed at login. */
export function sessionRoles(cred: Credentials | null | undefined): string[] {
  return cred?.roles ?? cred?.user?.roles ?? [];
}

type Outcome = Row & { response_type: string };

const AUTH_ERR: Outcome = { response_type: 'AUTH_ERR' };
const EXPIRED: Outcome = { response_type: 'EXPIRED' };
const DENIED: Outcome = { response_type: 'DENIED' };

/** `user.twofactor_config` (MW@TS-25.10.6:plugins/account_/2fa.py:84-89): always an object. */
function twoFactorConfig(user: UserRecord): Row {
  const name = encodeURIComponent(`${user.username}-${os.hostname}@TrueNAS`);
  return {
    provisioning_uri: user.otpSecret ? `otpauth://totp/iXsystems:${name}?secret=${user.otpSecret}&issuer=iXsystems` : null,
    secret_configured: Boolean(user.otpSecret),
    interval: 30,
    otp_digits: 6,
  };
}

/** `AuthUserInfo` (what auth.me returns). guess: values of fields the spec only names. */
export function userInfo(ctx: CallContext, user: UserRecord, cred: Credentials): Row {
  const roles = sessionRoles(cred);
  const full = roles.includes('FULL_ADMIN');
  const accounts = ctx.sim.store.accounts;
  const info: Row = {
    pw_name: user.username,
    pw_gecos: user.fullName,
    pw_dir: user.home,
    pw_shell: user.shell,
    pw_uid: user.uid,
    pw_gid: accounts.groupById(user.groupId)?.gid ?? user.uid,
    // 25.04+ builds the user object without groups (get_user_obj): grouplist is null.
    grouplist: ctx.profile.n >= 2504 ? null : accounts.gidsOf(user),
    sid: null,
    source: 'LOCAL',
    local: true,
    attributes: {},
    two_factor_config: twoFactorConfig(user),
    privilege: {
      roles: [...expandRoles(roles, ctx.profile.n)].sort(),
      allowlist: full ? [{ method: '*', resource: '*' }] : [],
      web_shell: full,
      webui_access: roles.length > 0,
    },
  };
  if (ctx.profile.n >= 2504) {
    // MW@TS-25.04.2.6:utils/account/authenticator.py:233-257: LOCAL, then API_KEY or 2FA (never
    // both), then SYS_ADMIN for uid 0 or 950 only.
    const attrs = ['LOCAL'];
    if (cred.kind === 'API_KEY' || cred.kind === 'SCRAM') attrs.push('API_KEY');
    else if (user.otpSecret) attrs.push('2FA');
    if (user.uid === 0 || user.uid === 950) attrs.push('SYS_ADMIN');
    info.account_attributes = attrs;
  }
  return info;
}

function succeed(ctx: CallContext, cred: Credentials, wantUserInfo: boolean, reconnect = false): Outcome {
  establish(ctx.sim, ctx.session, cred);
  const out: Outcome = {
    response_type: 'SUCCESS',
    user_info: wantUserInfo && cred.user ? userInfo(ctx, cred.user, cred) : null,
    authenticator: 'LEVEL_1',
  };
  if (ctx.profile.n >= 2600) out.reconnect_token = reconnect ? mintToken(ctx, cred, 600, true) : null;
  return out;
}

function redirect(ctx: CallContext): Outcome | undefined {
  return ctx.sim.redirectUrls ? { response_type: 'REDIRECT', urls: [...ctx.sim.redirectUrls] } : undefined;
}

const failDelay = (ctx: CallContext) => ctx.sim.failureDelay(1, 2);

async function passwordLogin(ctx: CallContext, username: string, password: string, wantUserInfo: boolean): Promise<Outcome> {
  const user = ctx.sim.store.userByName(username);
  if (!user || user.locked || user.passwordDisabled || !ctx.sim.store.verifyPassword(user, password)) {
    auditLoginFailure(ctx.sim, ctx.session, 'LOGIN_PASSWORD', { username }, 'Bad username or password');
    await failDelay(ctx);
    return AUTH_ERR;
  }
  if (user.roles.length === 0) {
    // guess: a valid password of a user without privileges: AUTH_ERR before 26.0, DENIED on 26.0.
    if (ctx.profile.n >= 2600) return DENIED;
    await failDelay(ctx);
    return AUTH_ERR;
  }
  const r = redirect(ctx);
  if (r) return r;
  if (user.otpSecret) {
    ctx.session.pending = { kind: 'otp', user, failures: 0, userInfo: wantUserInfo };
    return { response_type: 'OTP_REQUIRED', username: user.username };
  }
  return succeed(ctx, { kind: 'PASSWORD', user }, wantUserInfo);
}

/** API_KEY_PLAIN (25.04+): the insecure-transport rule lives here. */
function apiKeyLogin(ctx: CallContext, username: string, apiKey: string, wantUserInfo: boolean): Outcome {
  const store = ctx.sim.store;
  const parts = splitKey(apiKey);
  const record = parts ? store.keys.get(parts.id) : undefined;
  const owner = record ? store.ownerOf(record) : undefined;
  // Revoked keys are not in the PAM key database, so they fail like a wrong secret.
  // The spec lists password, OTP and token failures as sleeping, so a failed API key does not.
  const keyInfo = record ? { id: record.id, name: record.name } : null;
  if (!parts || !record || !owner || owner.username !== username || record.expiry === -1 || !store.verifySecret(record, parts.secret)) {
    // guess: PAM's reason for a wrong key is pam_strerror(PAM_AUTH_ERR).
    auditLoginFailure(ctx.sim, ctx.session, 'API_KEY', { username, api_key: keyInfo }, 'Authentication failure');
    return AUTH_ERR;
  }
  if (record.expiry > 0 && record.expiry * 1000 <= Date.now()) {
    auditLoginFailure(ctx.sim, ctx.session, 'API_KEY', { username, api_key: keyInfo }, 'Api key is expired.');
    return EXPIRED;
  }
  if (!ctx.session.secure) {
    // Plain key over an insecure transport: revoke it. The datastore is written directly, so no event.
    record.expiry = -1;
    if (ctx.profile.n >= 2510) record.revokedReason = 'Attempt to use over an insecure transport';
    store.save();
    auditLoginFailure(ctx.sim, ctx.session, 'API_KEY', { username }, 'API key revoked due to insecure transport.');
    return EXPIRED;
  }
  if (ctx.profile.n >= 2600 && owner.roles.length === 0) return DENIED;
  const r = redirect(ctx);
  if (r) return r;
  store.upgradeHash(record, parts.secret);
  return succeed(ctx, { kind: 'API_KEY', user: owner, key: record }, wantUserInfo);
}

function tokenValid(ctx: CallContext, token: unknown): { token: string; cred: Credentials; attrs: Record<string, unknown> } | undefined {
  if (typeof token !== 'string') return undefined;
  const t = ctx.sim.tokens.get(token);
  if (!t) return undefined;
  // The ttl clock restarts on every message of the session that minted the token.
  if (Date.now() > t.creator.lastActivity + t.ttl * 1000) {
    ctx.sim.tokens.delete(token);
    return undefined;
  }
  if (t.matchOrigin && t.remoteAddress !== ctx.session.remoteAddress) return undefined;
  if (t.singleUse) ctx.sim.tokens.delete(token);
  return { token, cred: t.cred, attrs: t.attrs };
}

async function tokenLogin(ctx: CallContext, token: unknown, wantUserInfo: boolean): Promise<Outcome> {
  const t = tokenValid(ctx, token);
  if (!t) {
    auditLoginFailure(ctx.sim, ctx.session, 'TOKEN', { token: typeof token === 'string' ? token : null }, 'Invalid token');
    await failDelay(ctx);
    return AUTH_ERR;
  }
  return redirect(ctx) ?? succeed(ctx, tokenCredentials(t.cred), wantUserInfo);
}

/** A TOKEN session: the parent's identity and roles, the parent kept for `dump_credentials`. */
function tokenCredentials(parent: Credentials): Credentials {
  return { kind: 'TOKEN', user: parent.user, ...(parent.allowlist ? { allowlist: parent.allowlist } : {}), roles: [...(parent.roles ?? [])], parent };
}

async function otpStep(ctx: CallContext, otp: unknown, wantUserInfo?: boolean): Promise<Outcome> {
  const pending = ctx.session.pending;
  if (!pending || pending.kind !== 'otp') throw new CallError('OTP_TOKEN: no authentication in progress', ERRNO.EINVAL);
  const user = pending.user;
  // 26.0 refuses a code that already logged in (MW@TS-26.0.0-BETA.3:plugins/auth_/login_ex_impl.py:302-304).
  // 26.0 also ends the attempt at the first wrong code (MW@TS-26.0.0-BETA.3:plugins/auth_/login_ex_impl.py:300-338).
  const strict = ctx.profile.n >= 2600;
  const replay = strict && typeof otp === 'string' && user.lastOtp === otp;
  if (!replay && verifyTotp(user.otpSecret!, otp)) {
    if (typeof otp === 'string') user.lastOtp = otp;
    return succeed(ctx, { kind: 'PASSWORD', user, otp: true }, wantUserInfo ?? pending.userInfo);
  }
  await failDelay(ctx);
  auditLoginFailure(ctx.sim, ctx.session, 'LOGIN_TWOFACTOR', { username: user.username }, 'One-time token validation failed.');
  // 25.x: MAX_OTP_ATTEMPTS = 3 retries, so wrong codes 1-3 get OTP_REQUIRED and the 4th AUTH_ERR
  // (MW@TS-25.10.6:plugins/auth.py:1026). 26.0: the first wrong code ends the attempt.
  if (strict || pending.failures >= 3) {
    ctx.session.pending = null;
    return AUTH_ERR;
  }
  pending.failures++;
  return { response_type: 'OTP_REQUIRED', username: user.username };
}

function mintToken(ctx: CallContext, cred: Credentials, ttl: number, singleUse: boolean, matchOrigin = true, attrs: Record<string, unknown> = {}): string {
  const token = newToken(ctx.profile.n < 2212);
  ctx.sim.tokens.set(token, { cred, creator: ctx.session, ttl, singleUse, matchOrigin, remoteAddress: ctx.session.remoteAddress, attrs });
  return token;
}

// ---- login_ex argument model --------------------------------------------------------------------

interface LoginData {
  mechanism: string;
  fields: Record<string, unknown>;
  userInfo: boolean;
  reconnect: boolean;
}

/**
 * The pydantic discriminated union `login_data`. guess: the exact texts for tag errors follow
 * pydantic v2's wording; locations include the tag like pydantic does.
 */
function parseLoginData(ctx: CallContext, data: unknown): LoginData {
  const n = ctx.profile.n;
  const mechs: Record<string, string[]> = {
    API_KEY_PLAIN: ['username', 'api_key'],
    PASSWORD_PLAIN: ['username', 'password'],
    TOKEN_PLAIN: ['token'],
    OTP_TOKEN: ['otp_token'],
  };
  if (n >= 2600) mechs.SCRAM = ['scram_type', 'rfc_str'];
  const tags = Object.keys(mechs);
  // 25.04's login_data is a plain union (MW@TS-25.04.2.6:api/v25_04_2/auth.py:100-101).
  if (n < 2510) return parseUnion(data, mechs);
  if (!isDict(data)) throw new ValidationErrors([['login_data', 'Input should be a valid dictionary or object to extract fields from', 22]]);
  const mechanism = data.mechanism;
  if (mechanism === undefined) throw new ValidationErrors([['login_data', "Unable to extract tag using discriminator 'mechanism'", 22]]);
  if (typeof mechanism !== 'string' || !tags.includes(mechanism)) {
    const expected = tags.map((t) => `'${t}'`).join(', ');
    throw new ValidationErrors([['login_data', `Input tag '${String(mechanism)}' found using 'mechanism' does not match any of the expected tags: ${expected}`, 22]]);
  }
  const errors: ValidationTriple[] = [];
  const base = `login_data.${mechanism}`;
  const required = mechs[mechanism]!;
  for (const field of required) {
    if (!(field in data)) errors.push([`${base}.${field}`, 'Field required', 22]);
    else if (typeof data[field] !== 'string') errors.push([`${base}.${field}`, 'Input should be a valid string', 22]);
  }
  if (mechanism === 'SCRAM' && typeof data.scram_type === 'string' && !['CLIENT_FIRST_MESSAGE', 'CLIENT_FINAL_MESSAGE'].includes(data.scram_type)) {
    errors.push([`${base}.scram_type`, "Input should be 'CLIENT_FIRST_MESSAGE' or 'CLIENT_FINAL_MESSAGE'", 22]);
  }
  let userInfoWanted = true;
  let reconnect = false;
  if ('login_options' in data) {
    const lo = data.login_options;
    if (!isDict(lo)) errors.push([`${base}.login_options`, 'Input should be a valid dictionary or instance of AuthLoginOptions', 22]);
    else {
      const allowed = n >= 2600 ? ['user_info', 'reconnect_token'] : ['user_info'];
      for (const [k, v] of Object.entries(lo)) {
        if (!allowed.includes(k)) errors.push([`${base}.login_options.${k}`, 'Extra inputs are not permitted', 22]);
        else if (typeof v !== 'boolean') errors.push([`${base}.login_options.${k}`, 'Input should be a valid boolean', 22]);
      }
      if (lo.user_info === false) userInfoWanted = false;
      if (lo.reconnect_token === true) reconnect = true;
    }
  }
  for (const key of Object.keys(data)) {
    if (key !== 'mechanism' && key !== 'login_options' && !required.includes(key)) errors.push([`${base}.${key}`, 'Extra inputs are not permitted', 22]);
  }
  if (errors.length) throw new ValidationErrors(errors);
  return { mechanism, fields: data, userInfo: userInfoWanted, reconnect };
}

const UNION_MEMBERS: Record<string, string> = {
  API_KEY_PLAIN: 'AuthApiKeyPlain',
  PASSWORD_PLAIN: 'AuthPasswordPlain',
  TOKEN_PLAIN: 'AuthTokenPlain',
  OTP_TOKEN: 'AuthOTPToken',
};

/** The errors of validating `data` against one union member (pydantic: `login_data.<Model>.<field>`). */
function memberErrors(data: Record<string, unknown>, mechanism: string, required: string[]): ValidationTriple[] {
  const base = `login_data.${UNION_MEMBERS[mechanism]!}`;
  const errors: ValidationTriple[] = [];
  // guess: pydantic renders the enum literal as its repr.
  if (!('mechanism' in data)) errors.push([`${base}.mechanism`, 'Field required', 22]);
  else if (data.mechanism !== mechanism) errors.push([`${base}.mechanism`, `Input should be <AuthMech.${mechanism}: '${mechanism}'>`, 22]);
  for (const field of required) {
    if (!(field in data)) errors.push([`${base}.${field}`, 'Field required', 22]);
    else if (typeof data[field] !== 'string') errors.push([`${base}.${field}`, 'Input should be a valid string', 22]);
  }
  if ('login_options' in data) {
    const lo = data.login_options;
    if (!isDict(lo)) errors.push([`${base}.login_options`, 'Input should be a valid dictionary or instance of AuthCommonOptions', 22]);
    else {
      for (const [k, v] of Object.entries(lo)) {
        if (k !== 'user_info') errors.push([`${base}.login_options.${k}`, 'Extra inputs are not permitted', 22]);
        else if (typeof v !== 'boolean') errors.push([`${base}.login_options.${k}`, 'Input should be a valid boolean', 22]);
      }
    }
  }
  for (const key of Object.keys(data)) {
    if (key !== 'mechanism' && key !== 'login_options' && !required.includes(key)) errors.push([`${base}.${key}`, 'Extra inputs are not permitted', 22]);
  }
  return errors;
}

/** 25.04: the first member that validates wins; otherwise every member's errors, in member order. */
function parseUnion(data: unknown, mechs: Record<string, string[]>): LoginData {
  if (!isDict(data)) {
    throw new ValidationErrors(Object.values(UNION_MEMBERS).map((m) => [`login_data.${m}`, `Input should be a valid dictionary or instance of ${m}`, 22] as ValidationTriple));
  }
  const all: ValidationTriple[] = [];
  for (const [mechanism, required] of Object.entries(mechs)) {
    const errors = memberErrors(data, mechanism, required);
    if (!errors.length) {
      const lo = isDict(data.login_options) ? data.login_options : {};
      return { mechanism, fields: data, userInfo: lo.user_info !== false, reconnect: false };
    }
    all.push(...errors);
  }
  throw new ValidationErrors(all);
}

/** The -32602 that login_ex's argument model raises for `data`, in the era's union form. */
function loginDataErrors(ctx: CallContext, data: Record<string, unknown>): ValidationErrors {
  try {
    parseLoginData(ctx, data);
  } catch (e) {
    if (e instanceof ValidationErrors) return e;
    throw e;
  }
  return new ValidationErrors([['login_data', 'Invalid login data', 22]]);
}

async function loginEx(ctx: CallContext, params: unknown[]): Promise<Outcome> {
  checkArity(ctx, params, ['login_data']);
  const d = parseLoginData(ctx, params[0]);
  const f = d.fields as Record<string, string>;
  let outcome: Outcome;
  switch (d.mechanism) {
    case 'PASSWORD_PLAIN':
      outcome = await passwordLogin(ctx, f.username!, f.password!, d.userInfo);
      break;
    case 'API_KEY_PLAIN':
      outcome = apiKeyLogin(ctx, f.username!, f.api_key!, d.userInfo);
      break;
    case 'TOKEN_PLAIN':
      outcome = await tokenLogin(ctx, f.token, d.userInfo);
      break;
    case 'OTP_TOKEN':
      outcome = await otpStep(ctx, f.otp_token, d.userInfo);
      break;
    default:
      outcome = await scram(ctx, f.scram_type!, f.rfc_str!, d.userInfo);
  }
  if (d.reconnect && outcome.response_type === 'SUCCESS' && ctx.session.cred) outcome.reconnect_token = mintToken(ctx, ctx.session.cred, 600, true);
  return outcome;
}

async function loginExContinue(ctx: CallContext, params: unknown[]): Promise<Outcome> {
  checkArity(ctx, params, ['login_data']);
  const data = params[0];
  if (!isDict(data) || data.mechanism !== 'OTP_TOKEN') {
    throw new ValidationErrors([['login_data', "Input tag found using 'mechanism' does not match any of the expected tags: 'OTP_TOKEN'", 22]]);
  }
  if (typeof data.otp_token !== 'string') throw new ValidationErrors([['login_data.OTP_TOKEN.otp_token', 'Field required', 22]]);
  return otpStep(ctx, data.otp_token);
}

// ---- SCRAM-SHA-512 (26.0) -----------------------------------------------------------------------

function parseAttrs(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) attrs.set(part[0]!, part.slice(2));
  }
  return attrs;
}

/**
 * RFC 5802 with SHA-512; the client-first user is `<username>:<key id>`. guess: malformed
 * messages, unknown users and channel-binding requests (`p=...`) all answer AUTH_ERR.
 */
async function scram(ctx: CallContext, type: string, rfc: string, wantUserInfo: boolean): Promise<Outcome> {
  const store = ctx.sim.store;
  if (type === 'CLIENT_FIRST_MESSAGE') {
    ctx.session.pending = null;
    const m = /^([ny]),([^,]*),(.*)$/.exec(rfc);
    if (!m) return AUTH_ERR;
    const bare = m[3]!;
    const attrs = parseAttrs(bare);
    const name = attrs.get('n')?.replace(/=2C/g, ',').replace(/=3D/g, '=');
    const nonce = attrs.get('r');
    const colon = name?.lastIndexOf(':') ?? -1;
    if (!name || !nonce || colon < 1) return AUTH_ERR;
    const user = store.userByName(name.slice(0, colon));
    const keyId = Number(name.slice(colon + 1));
    const record = Number.isInteger(keyId) ? store.keys.get(keyId) : undefined;
    if (!user || !record?.scram || store.ownerOf(record)?.id !== user.id || record.expiry === -1) {
      await failDelay(ctx);
      return AUTH_ERR;
    }
    const serverNonce = nonce + randomBytes(24).toString('base64');
    const serverFirst = `r=${serverNonce},s=${record.scram.salt},i=${record.scram.iterations}`;
    ctx.session.pending = { kind: 'scram', user, key: record, clientFirstBare: bare, serverFirst, nonce: serverNonce, gs2Header: `${m[1]},${m[2]},`, userInfo: wantUserInfo };
    return { response_type: 'SCRAM_RESPONSE', scram_type: 'SERVER_FIRST_RESPONSE', rfc_str: serverFirst, user_info: null };
  }
  const pending = ctx.session.pending;
  if (!pending || pending.kind !== 'scram') throw new CallError('SCRAM: no authentication in progress', ERRNO.EINVAL);
  ctx.session.pending = null;
  const proofAt = rfc.lastIndexOf(',p=');
  const attrs = parseAttrs(rfc);
  const withoutProof = proofAt > 0 ? rfc.slice(0, proofAt) : '';
  const record: KeyRecord = pending.key;
  const material = record.scram!;
  if (!withoutProof || attrs.get('c') !== Buffer.from(pending.gs2Header).toString('base64') || attrs.get('r') !== pending.nonce) {
    await failDelay(ctx);
    return AUTH_ERR;
  }
  const authMessage = `${pending.clientFirstBare},${pending.serverFirst},${withoutProof}`;
  const storedKey = Buffer.from(material.storedKey, 'base64');
  const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
  const signature = hmacSha512(storedKey, authMessage);
  if (proof.length !== signature.length) {
    await failDelay(ctx);
    return AUTH_ERR;
  }
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
  if (!safeEqual(sha512(clientKey), storedKey) || record.expiry === -1 || !store.keys.has(record.id)) {
    await failDelay(ctx);
    return AUTH_ERR;
  }
  if (record.expiry > 0 && record.expiry * 1000 <= Date.now()) return EXPIRED;
  if (pending.user.roles.length === 0) return DENIED;
  const r = redirect(ctx);
  if (r) return r;
  const serverSignature = hmacSha512(Buffer.from(material.serverKey, 'base64'), authMessage).toString('base64');
  const cred: Credentials = { kind: 'SCRAM', user: pending.user, key: record };
  establish(ctx.sim, ctx.session, cred);
  // guess: the final answer carries user_info like SUCCESS does, and no authenticator field.
  return {
    response_type: 'SCRAM_RESPONSE',
    scram_type: 'SERVER_FINAL_RESPONSE',
    rfc_str: `v=${serverSignature}`,
    user_info: pending.userInfo ? userInfo(ctx, pending.user, cred) : null,
  };
}

// ---- boolean wrappers ---------------------------------------------------------------------------

function stringArgs(ctx: CallContext, params: unknown[], names: string[]): void {
  const errors: ValidationTriple[] = [];
  names.forEach((name, i) => {
    if (i < params.length && params[i] !== null && typeof params[i] !== 'string') errors.push([name, typeMessage(ctx, 'str'), 22]);
  });
  if (errors.length) throw new ValidationErrors(errors);
}

async function login(ctx: CallContext, params: unknown[]): Promise<boolean> {
  checkArity(ctx, params, ['username', 'password', 'otp_token'], 2);
  stringArgs(ctx, params, ['username', 'password', 'otp_token']);
  const [username, password, otp] = params as [string, string, string | null | undefined];
  if (ctx.profile.n >= 2504) {
    // guess: the 25.04+ wrapper answers OTP_REQUIRED with the third argument via login_ex_continue.
    let outcome = await passwordLogin(ctx, username, password, true);
    if (outcome.response_type === 'OTP_REQUIRED') {
      if (typeof otp === 'string') outcome = await otpStep(ctx, otp);
      else ctx.session.pending = null;
    }
    return outcome.response_type === 'SUCCESS';
  }
  const store = ctx.sim.store;
  const user = store.userByName(username);
  // 22.02 accepts only root; 22.12+ any local user with privileges.
  const eligible = user && !user.locked && !user.passwordDisabled && (ctx.profile.n < 2212 ? user.username === 'root' : user.roles.length > 0);
  const ok = eligible && store.verifyPassword(user, password) && (!user.otpSecret || verifyTotp(user.otpSecret, otp));
  if (!ok) {
    auditLoginFailure(ctx.sim, ctx.session, 'LOGIN_PASSWORD', { username }, 'Bad username or password');
    // 23.10-24.10 sleep 1-5 s after a failed auth.login; 22.02 answers at once.
    if (ctx.profile.n >= 2310) await ctx.sim.failureDelay(1, 5);
    return false;
  }
  establish(ctx.sim, ctx.session, { kind: 'PASSWORD', user: user, ...(user.otpSecret ? { otp: true } : {}) });
  return true;
}

async function loginWithApiKey(ctx: CallContext, params: unknown[]): Promise<boolean> {
  checkArity(ctx, params, ['api_key']);
  stringArgs(ctx, params, ['api_key']);
  const key = params[0] as string;
  const store = ctx.sim.store;
  const parts = splitKey(key);
  const record = parts ? store.keys.get(parts.id) : undefined;
  if (ctx.profile.n >= 2504) {
    if (!record) {
      await failDelay(ctx);
      // MW@TS-25.10.6:plugins/auth.py:1172-1185: the audit record holds the raw key string.
      auditLoginFailure(ctx.sim, ctx.session, 'API_KEY', { username: null, api_key: key }, 'Invalid API key');
      return false;
    }
    const owner = store.ownerOf(record);
    // The owner no longer resolves: login_ex gets username=None and its argument model refuses it
    // (MW@TS-25.10.6:plugins/auth.py:1155-1187): -32602, not false.
    if (!owner) throw loginDataErrors(ctx, { mechanism: 'API_KEY_PLAIN', username: null, api_key: key, login_options: { user_info: false } });
    return apiKeyLogin(ctx, owner.username, key, true).response_type === 'SUCCESS';
  }
  if (!parts || !record || !store.verifySecret(record, parts.secret)) {
    // 24.10 writes the raw key string for every failed key login (MW@TS-24.10.2.4:plugins/auth.py:446-455).
    auditLoginFailure(ctx.sim, ctx.session, 'API_KEY', { api_key: key }, 'Invalid API key');
    return false;
  }
  establish(ctx.sim, ctx.session, { kind: 'API_KEY', user: null, key: record, allowlist: record.allowlist });
  return true;
}

async function loginWithToken(ctx: CallContext, params: unknown[]): Promise<boolean | null> {
  checkArity(ctx, params, ['token']);
  if (ctx.profile.n >= 2504) return (await tokenLogin(ctx, params[0], true)).response_type === 'SUCCESS';
  const t = tokenValid(ctx, params[0]);
  if (!t) {
    auditLoginFailure(ctx.sim, ctx.session, 'TOKEN', { token: typeof params[0] === 'string' ? params[0] : null }, 'Invalid token');
    return false;
  }
  // guess: up to 24.10 a token minted with attrs is for file transfers: login returns null.
  if (Object.keys(t.attrs).length) return null;
  establish(ctx.sim, ctx.session, tokenCredentials(t.cred));
  return true;
}

function generateToken(ctx: CallContext, params: unknown[]): string {
  const n = ctx.profile.n;
  const names = n >= 2504 ? ['ttl', 'attrs', 'match_origin', 'single_use'] : n >= 2212 ? ['ttl', 'attrs', 'match_origin'] : ['ttl', 'attrs'];
  checkArity(ctx, params, names, 0);
  // 22.12-24.10 mark this method "no auth" but refuse internally.
  if (!ctx.session.cred) throw new CallError('Not authenticated', ERRNO.EACCES);
  const [ttl = 600, attrs = {}, matchOrigin = n >= 2410, singleUse = false] = params;
  const errors: ValidationTriple[] = [];
  if (ttl !== null && !isInt(ttl)) errors.push(['ttl', typeMessage(ctx, 'int'), 22]);
  if (!isDict(attrs)) errors.push(['attrs', typeMessage(ctx, 'dict'), 22]);
  if (typeof matchOrigin !== 'boolean') errors.push(['match_origin', typeMessage(ctx, 'bool'), 22]);
  if (typeof singleUse !== 'boolean') errors.push(['single_use', typeMessage(ctx, 'bool'), 22]);
  if (errors.length) throw new ValidationErrors(errors);
  return mintToken(ctx, ctx.session.cred, (ttl as number | null) ?? 600, singleUse as boolean, matchOrigin as boolean, attrs as Record<string, unknown>);
}

function me(ctx: CallContext, params: unknown[]): Row {
  checkArity(ctx, params, []);
  const cred = ctx.session.cred!;
  if (!cred.user) throw new CallError('You are logged in using API_KEY', ERRNO.EFAULT);
  return userInfo(ctx, cred.user, cred);
}

function logout(ctx: CallContext, params: unknown[]): boolean {
  checkArity(ctx, params, []);
  endSession(ctx.sim, ctx.session);
  ctx.session.pending = null;
  if (ctx.profile.n >= 2504) ctx.session.subscriptions.clear();
  return true;
}

function mechanismChoices(ctx: CallContext, params: unknown[]): string[] {
  checkArity(ctx, params, []);
  // The 25.04.2-25.10.x bug: reads a property of the (None) credentials of an anonymous session.
  if (!ctx.session.cred && ctx.profile.n >= 2504 && ctx.profile.n < 2600) {
    throw new UnexpectedError('AttributeError', "'NoneType' object has no attribute 'may_create_auth_token'");
  }
  const choices = ['API_KEY_PLAIN', 'TOKEN_PLAIN', 'PASSWORD_PLAIN'];
  if (ctx.profile.n >= 2600) choices.push('SCRAM');
  return choices;
}

function twoFactorAuth(ctx: CallContext, params: unknown[]): boolean {
  // 22.02: no arguments; answers whether 2FA is enabled system-wide (MW@TS-22.02.4:plugins/auth.py:377-384).
  if (ctx.profile.n < 2212) {
    checkArity(ctx, params, []);
    return ctx.sim.store.users.some((u) => u.otpSecret);
  }
  checkArity(ctx, params, ['username', 'password']);
  stringArgs(ctx, params, ['username', 'password']);
  const user = ctx.sim.store.userByName(params[0] as string);
  return Boolean(user?.otpSecret && ctx.sim.store.verifyPassword(user, params[1]));
}

const always = () => true;
const none = () => 'none' as const;

export const authMethods: MethodDef[] = [
  { name: 'auth.login', noAuth: always, authz: none, handler: login },
  { name: 'auth.login_with_api_key', noAuth: always, authz: none, handler: loginWithApiKey },
  { name: 'auth.login_with_token', noAuth: always, authz: none, handler: loginWithToken },
  { name: 'auth.two_factor_auth', until: 2410, noAuth: always, authz: none, handler: twoFactorAuth },
  { name: 'auth.generate_token', noAuth: (p) => p.n >= 2212 && p.n < 2504, authz: none, handler: generateToken },
  { name: 'auth.login_ex', since: 2504, noAuth: always, authz: none, handler: loginEx },
  { name: 'auth.login_ex_continue', since: 2504, noAuth: always, authz: none, handler: loginExContinue },
  { name: 'auth.mechanism_choices', since: 2504, noAuth: always, authz: none, handler: mechanismChoices },
  { name: 'auth.me', since: 2212, authz: none, handler: me },
  { name: 'auth.logout', authz: none, handler: logout },
];



