import { movedCellList } from '../../core/segments/migration-cells.ts';
import {
  MigrationMatrixSchema,
  MigrationPendingSchema,
  MigrationQuerySchema,
} from '../../schema/segment-migrations.ts';
import { WIDGET } from '../auth.ts';
import { migrationCells } from '../db/class-migrations.ts';
import { endOfMonth, monthEndPair, monthEndsPending } from '../month-ends.ts';
import { ApiError } from '../problem.ts';
import { route } from '../route.ts';

const byClass = (p: string | null, q: string | null) =>
  p === q ? 0 : p === null ? -1 : q === null ? 1 : p < q ? -1 : 1;

export const migrationRoutes = [
  route({
    method: 'GET',
    path: '/v1/segments/migrations',
    access: WIDGET,
    summary: 'Clients and revenue that moved between classes from one month-end to another',
    description:
      "For `dimension` (`stage`, `abc`, `xyz`, `rfm` segment or `type`, a client's set of types joined by `+`), how many clients were in each class at the end of month `from` and in each class at the end of month `to`, with their revenue in the later snapshot's window (the 12 whole months before it). `from: null`: the client was not in the portfolio yet (no stage at the earlier month-end); `to: null`: it is gone since. A class a client has no value in (no revenue for ABC, no purchase for RFM, no type) is `none`. Each cell's `list` is the `GET /v1/clients` address of its clients (secret key), paginated. Read from the month-end snapshots; when one is missing it is computed from history by the snapshot job, and the answer is `202` with `Retry-After` until it is done. The cells are counted once per pair of month-end snapshots and kept, so later reads cost the cells. Erased clients are removed from past snapshots and from the kept cells too.",
    query: MigrationQuerySchema,
    responses: { 200: MigrationMatrixSchema, 202: MigrationPendingSchema },
    async handle({ env, auth, now, query }) {
      const ws = auth.workspace;
      if (endOfMonth(query.to) > now)
        throw new ApiError(400, 'Invalid migrations query', {
          errors: [{ path: 'to', message: 'must be a month that has ended' }],
        });
      const pair = await monthEndPair(env.DB, env.SNAPSHOTS, ws, query, now);
      if ('pending' in pair) return monthEndsPending(pair.pending);
      const { earlier, later } = pair;
      const cells = await migrationCells(env.DB, ws.id, earlier.id, later.id, query.dimension, now);
      cells.sort((p, q) => byClass(p.from, q.from) || byClass(p.to, q.to));
      const computedAt = [earlier.computedAt, later.computedAt].sort().at(-1)!;
      return {
        dimension: query.dimension,
        from: query.from,
        to: query.to,
        computedAt,
        cells: cells.map((c) => ({
          ...c,
          list: movedCellList({ ...query, fromClass: c.from, toClass: c.to }),
        })),
        currency: ws.settings.currency,
      };
    },
  }),
];
