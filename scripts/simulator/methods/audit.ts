/**
 * `audit.query` (24.04+; SYSTEM_AUDIT_READ through role_prefix SYSTEM_AUDIT, MW@TS-25.10.6:main.py:325).
 * One argument, `{services, query-filters, query-options, remote_controller}`; 25.10 wants
 * `limit`, `count` or `get` (MW@TS-25.10.6:plugins/audit/audit.py:121-185).
 */
import type { AuditRecord } from '../audit-log.js';
import type { CallContext, MethodDef } from '../context.js';
import { ValidationError, ValidationErrors, type ValidationTriple } from '../errors.js';
import { parseQuery, runQuery, type Row } from '../query.js';
import { encodeDate } from '../wire.js';
import { checkArity, isDict } from './args.js';

const SERVICES_2410 = ['MIDDLEWARE', 'SMB', 'SUDO'];
const SERVICES_2510 = ['MIDDLEWARE', 'SMB', 'SUDO', 'SYSTEM'];
/** Columns `select` may name (AUDIT_EVENT_MIDDLEWARE_PARAM_SET and friends). guess: the common ones. */
const COLUMNS = ['audit_id', 'message_timestamp', 'timestamp', 'address', 'username', 'session', 'service', 'service_data', 'event', 'event_data', 'success'];

function entry(r: AuditRecord): Row {
  return {
    audit_id: r.auditId,
    message_timestamp: Math.floor(r.at / 1000),
    timestamp: encodeDate(r.at, false),
    address: r.address,
    username: r.username,
    session: r.session,
    service: 'MIDDLEWARE',
    service_data: r.serviceData,
    event: r.event,
    event_data: r.eventData,
    success: r.success,
  };
}

function auditQuery(ctx: CallContext, params: unknown[]): unknown {
  checkArity(ctx, params, ['data'], 0);
  const n = ctx.profile.n;
  const pyd = n >= 2510;
  const schema = pyd ? 'data' : 'audit_query';
  const data = params[0] ?? {};
  if (!isDict(data)) throw new ValidationErrors([[schema, pyd ? 'Input should be a valid dictionary or instance of AuditQuery' : 'A dict was expected', 22]]);
  const errors: ValidationTriple[] = [];
  const allowed = ['services', 'query-filters', 'query-options', ...(n >= 2504 ? ['remote_controller'] : [])];
  for (const key of Object.keys(data)) if (!allowed.includes(key)) errors.push([`${schema}.${key}`, pyd ? 'Extra inputs are not permitted' : 'Field was not expected', 22]);
  const services = data.services ?? (n >= 2510 ? ['MIDDLEWARE'] : ['MIDDLEWARE', 'SUDO']);
  const known = n >= 2510 ? SERVICES_2510 : SERVICES_2410;
  if (!Array.isArray(services)) errors.push([`${schema}.services`, pyd ? 'Input should be a valid list' : 'Not a list', 22]);
  else {
    services.forEach((s, i) => {
      if (!known.includes(s as string)) {
        errors.push([`${schema}.services.${i}`, pyd ? `Input should be ${known.slice(0, -1).map((x) => `'${x}'`).join(', ')} or '${known.at(-1)!}'` : `Invalid choice: ${String(s)}`, 22]);
      }
    });
  }
  if ('remote_controller' in data && typeof data.remote_controller !== 'boolean') errors.push([`${schema}.remote_controller`, pyd ? 'Input should be a valid boolean' : 'Not a boolean', 22]);
  if (errors.length) throw new ValidationErrors(errors);
  const query = parseQuery(ctx.profile, data['query-filters'], data['query-options']);
  const opts = query.options;
  const list = services as string[];
  if (n >= 2510 && list.length > 1) throw new ValidationError('audit.query.services', 'Querying more than one audit database in a single request is not supported');
  if (n >= 2510 && !opts.limit && !opts.count && !opts.get) {
    throw new ValidationError('audit.query.query-options', 'query-options must be set to either gather row count or contain a limit on the rows returned.');
  }
  const selectErrors: ValidationTriple[] = [];
  opts.select.forEach((s, i) => {
    const column = Array.isArray(s) ? s[0] : s;
    if (!COLUMNS.includes(column)) selectErrors.push([`audit.query.query-options.select.${i}`, `${column}: column does not exist`, 22]);
  });
  if (selectErrors.length) throw new ValidationErrors(selectErrors);
  // Only the MIDDLEWARE database has records here; the others answer empty.
  const rows = list.includes('MIDDLEWARE') ? ctx.sim.audit.live().map(entry) : [];
  return runQuery(ctx.profile, rows, query);
}

export const auditMethods: MethodDef[] = [{ name: 'audit.query', since: 2404, authz: () => ['SYSTEM_AUDIT_READ'], handler: auditQuery }];
