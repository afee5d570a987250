/**
 * `query` and `get_instance` of a namespace whose entries are built as rows (users, groups,
 * privileges): the middleware's CRUDService does the same for every one of them.
 */
import type { CallContext } from '../context.js';
import { instanceNotFound } from '../errors.js';
import { parseQuery, runQuery, type Row } from '../query.js';
import { checkArity } from './args.js';

export function collection(what: string, rows: (ctx: CallContext) => Row[]): { query: (ctx: CallContext, params: unknown[]) => unknown; getInstance: (ctx: CallContext, params: unknown[]) => unknown } {
  return {
    query(ctx, params) {
      checkArity(ctx, params, ['filters', 'options'], 0);
      return runQuery(ctx.profile, rows(ctx), parseQuery(ctx.profile, params[0], params[1]));
    },
    getInstance(ctx, params) {
      checkArity(ctx, params, ['id', 'options'], 1);
      const q = parseQuery(ctx.profile, [], params[1]);
      q.options.get = true;
      const row = rows(ctx).find((r) => r.id === params[0]);
      if (!row) throw instanceNotFound(what, params[0]);
      return runQuery(ctx.profile, [row], q);
    },
  };
}
