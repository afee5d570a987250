/** `core.*`, `system.*` and `user.query` (truenas-api.md §1.3, §7). */
import { randomUUID } from 'node:crypto';
import { os } from './os-facts.js';
import type { CallContext, MethodDef, SessionState } from '../context.js';
import { CallError, ERRNO, ValidationErrors, type ValidationTriple } from '../errors.js';
import type { Row } from '../query.js';
import { allowlistPermits, expandRoles } from '../roles.js';
import { encodeDate } from '../wire.js';
import { checkArity, isDict } from './args.js';
import { sessionRoles } from './auth.js';

/**
 * Whether a session may subscribe to an event (the middleware's `can_subscribe`).
 * guess: `core.get_jobs` (which the official client subscribes to) is open to any session;
 * events the simulator does not know need FULL_ADMIN, as events without roles do.
 */
export function canSubscribe(profile: { n: number }, session: SessionState, name: string): boolean {
  const cred = session.cred;
  if (!cred) return false;
  if (profile.n < 2212 && name !== '*') return true;
  if (cred.allowlist) return allowlistPermits(cred.allowlist, 'SUBSCRIBE', name);
  const roles = expandRoles(sessionRoles(cred), profile.n);
  if (roles.has('FULL_ADMIN')) return true;
  if (name === 'core.get_jobs') return true;
  if (name === 'api_key.query') return roles.has(profile.n >= 2504 ? 'API_KEY_READ' : 'READONLY_ADMIN');
  return false;
}

function subscribe(ctx: CallContext, params: unknown[]): string {
  checkArity(ctx, params, ['event']);
  const name = params[0];
  if (typeof name !== 'string') throw new ValidationErrors([['event', 'Input should be a valid string', 22]]);
  if (!canSubscribe(ctx.profile, ctx.session, name.split(':', 1)[0]!)) throw new CallError('Not authorized', ERRNO.EACCES);
  const id = randomUUID();
  ctx.session.subscriptions.set(id, name);
  return id;
}

function unsubscribe(ctx: CallContext, params: unknown[]): null {
  checkArity(ctx, params, ['id']);
  if (typeof params[0] === 'string') ctx.session.subscriptions.delete(params[0]);
  return null;
}

/**
 * 25.04 knows only py_exceptions and returns null; 25.10+ returns the resulting options.
 * py_exceptions is accepted but errors never carry a pickled `py_exception` (there is no Python).
 */
function setOptions(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['options']);
  const options = params[0];
  if (!isDict(options)) throw new ValidationErrors([['options', 'Input should be a valid dictionary or instance of ConnectionOptions', 22]]);
  const known = ctx.profile.n >= 2510 ? (['legacy_jobs', 'private_methods', 'py_exceptions'] as const) : (['py_exceptions'] as const);
  const errors: ValidationTriple[] = [];
  for (const key of known) {
    if (key in options && typeof options[key] !== 'boolean') errors.push([`options.${key}`, 'Input should be a valid boolean', 22]);
  }
  if (errors.length) throw new ValidationErrors(errors);
  for (const key of known) if (key in options) ctx.session.options[key] = options[key] as boolean;
  if (ctx.profile.n < 2510) return null;
  return { ...ctx.session.options };
}

function systemInfo(ctx: CallContext): Row {
  const now = Date.now();
  const keepMs = ctx.profile.n < 2212;
  const info: Row = {
    version: ctx.profile.version,
    buildtime: encodeDate(os.buildTime, keepMs),
    hostname: os.hostname,
    physmem: os.physmem,
    model: os.model,
    cores: os.cores,
    physical_cores: os.physicalCores,
    loadavg: [0.12, 0.18, 0.2],
    uptime: formatUptime(now - os.bootTime),
    uptime_seconds: (now - os.bootTime) / 1000,
    system_serial: os.serial,
    system_product: os.product,
    system_product_version: '1.0',
    license: null,
    boottime: encodeDate(os.bootTime, keepMs),
    datetime: encodeDate(now, keepMs),
    timezone: 'UTC',
    system_manufacturer: os.manufacturer,
    ecc_memory: true,
  };
  if (ctx.profile.n < 2212) info.birthday = encodeDate(os.bootTime, true);
  return info;
}

function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${days ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${hh}:${mm}:${ss}`;
}

const none = () => 'none' as const;

/** A handler for a method without arguments (extra ones are refused as the era does). */
function noArgs(result: (ctx: CallContext) => unknown): MethodDef['handler'] {
  return (ctx, params) => {
    checkArity(ctx, params, []);
    return result(ctx);
  };
}

export const coreMethods: MethodDef[] = [
  {
    name: 'core.ping',
    noAuth: (p) => p.n >= 2510,
    // 22.02-24.04 need authorization (full admin); 24.10 and 25.04 only authentication.
    authz: (p) => (p.n < 2410 ? [] : 'none'),
    handler: noArgs(() => 'pong'),
  },
  { name: 'core.set_options', since: 2504, noAuth: () => true, rateLimit: false, authz: none, handler: setOptions },
  { name: 'core.subscribe', since: 2504, authz: none, handler: subscribe },
  { name: 'core.unsubscribe', since: 2504, authz: none, handler: unsubscribe },
  {
    name: 'system.version',
    authz: (p) => (p.n < 2404 ? [] : 'none'),
    handler: noArgs((ctx) => ctx.profile.version),
  },
  {
    name: 'system.version_short',
    since: 2212,
    authz: none,
    handler: noArgs((ctx) => ctx.profile.versionShort),
  },
  {
    name: 'system.info',
    authz: (p) => (p.n < 2404 ? [] : ['READONLY_ADMIN']),
    handler: noArgs(systemInfo),
  },
  {
    name: 'system.product_type',
    noAuth: (p) => p.n < 2410,
    authz: (p) => (p.n >= 2510 ? ['SYSTEM_PRODUCT_READ'] : ['READONLY_ADMIN']),
    handler: noArgs((ctx) => ctx.profile.n >= 2504 ? 'COMMUNITY_EDITION' : 'SCALE'),
  },
  {
    name: 'system.product_name',
    until: 2404,
    noAuth: () => true,
    authz: none,
    handler: noArgs(() => 'TrueNAS'),
  },
  {
    name: 'system.boot_id',
    authz: none,
    handler: noArgs((ctx) => ctx.sim.bootId),
  },
];
