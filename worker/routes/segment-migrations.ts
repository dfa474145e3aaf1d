import { monthIndex, monthStartIso } from '../../core/segments/window.ts';
import {
  MigrationMatrixSchema,
  MigrationPendingSchema,
  MigrationQuerySchema,
} from '../../schema/segment-migrations.ts';
import { WIDGET } from '../auth.ts';
import { migrationCells, monthEndRuns } from '../db/class-migrations.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';
import { startSnapshot } from '../snapshots.ts';

/** The instant a month's end snapshot describes: the first of the next month (exclusive). */
const endOfMonth = (month: string) => monthStartIso(monthIndex(month) + 1);

const byClass = (p: string | null, q: string | null) =>
  p === q ? 0 : p === null ? -1 : q === null ? 1 : p < q ? -1 : 1;

export const migrationRoutes = [
  route({
    method: 'GET',
    path: '/v1/segments/migrations',
    access: WIDGET,
    summary: 'Clients and revenue that moved between classes from one month-end to another',
    description:
      "For `dimension` (`stage`, `abc`, `xyz`, `rfm` segment or `type`, a client's set of types joined by `+`), how many clients were in each class at the end of month `from` and in each class at the end of month `to`, with their revenue in the later snapshot's window (the 12 whole months before it). `from: null`: the client was not in the portfolio yet (no stage at the earlier month-end); `to: null`: it is gone since. A class a client has no value in (no revenue for ABC, no purchase for RFM, no type) is `none`. Read from the month-end snapshots; when one is missing it is computed from history by the snapshot job, and the answer is `202` with `Retry-After` until it is done. Erased clients are removed from past snapshots too.",
    query: MigrationQuerySchema,
    responses: { 200: MigrationMatrixSchema, 202: MigrationPendingSchema },
    async handle({ env, auth, db, now, query }) {
      const ws = auth.workspace;
      const fromAsOf = endOfMonth(query.from);
      const toAsOf = endOfMonth(query.to);
      if (toAsOf > now)
        throw new ApiError(400, 'Invalid migrations query', {
          errors: [{ path: 'to', message: 'must be a month that has ended' }],
        });
      const runs = await monthEndRuns(db, ws.id, [fromAsOf, toAsOf]);
      const pending: string[] = [];
      for (const asOf of [fromAsOf, toAsOf]) {
        const run = runs.get(asOf);
        if (run?.status === 'done') continue;
        if (run) {
          pending.push(run.id);
          continue;
        }
        // Never classified inside the request: the job computes the month-end from history.
        const first = await startSnapshot(db, ws.id, ws.settings.segments, {
          kind: 'month_end',
          asOf,
          now,
        });
        await env.SNAPSHOTS.send(first);
        pending.push(first.snapshotId);
      }
      if (pending.length > 0)
        return json(
          { status: 'running', snapshots: pending },
          { status: 202, headers: { 'retry-after': '30' } },
        );
      const earlier = runs.get(fromAsOf)!;
      const later = runs.get(toAsOf)!;
      const cells = await migrationCells(db, ws.id, earlier.id, later.id, query.dimension);
      cells.sort((p, q) => byClass(p.from, q.from) || byClass(p.to, q.to));
      const computedAt = [earlier.computedAt!, later.computedAt!].sort().at(-1)!;
      return {
        dimension: query.dimension,
        from: query.from,
        to: query.to,
        computedAt,
        cells,
        currency: ws.settings.currency,
      };
    },
  }),
];
