import { IdSchema } from '../../schema/common.ts';
import { SnapshotAcceptedSchema, SnapshotSchema } from '../../schema/snapshots.ts';
import { SECRET } from '../auth.ts';
import { getSnapshotRun } from '../db/snapshots.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';
import { startSnapshot } from '../snapshots.ts';

export const snapshotRoutes = [
  route({
    method: 'POST',
    path: '/v1/snapshots',
    access: SECRET,
    summary: 'Start a snapshot of the classes now (ABC-XYZ, RFM, client types)',
    description:
      'The classes widgets read (ABC-XYZ, RFM, type counts and the class filters of `GET /v1/clients`) are portfolio-relative, so a job computes them for every client, in chunks of at most 10,000 clients sent through a queue; answers say `computedAt`, when the snapshot they read finished. The hourly cron starts one when `segments.snapshotEveryHours` have passed since the last, and one as of the first instant of each month (kept as the history of classes). This starts one now; follow it with `GET /v1/snapshots/{id}`.',
    body: null,
    responses: { 202: SnapshotAcceptedSchema },
    examples: { response: { id: 'snap_20261201T031700000Z_k3Jd9a', status: 'running' } },
    async handle({ env, auth, db, now }) {
      const first = await startSnapshot(db, auth.workspace.id, auth.workspace.settings.segments, {
        asOf: now,
        now,
      });
      await env.SNAPSHOTS.send(first);
      return json({ id: first.snapshotId, status: 'running' }, { status: 202 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/snapshots/:id',
    access: SECRET,
    summary: 'A snapshot run: running, done or failed, and how many clients it classified',
    params: { id: IdSchema },
    responses: { 200: SnapshotSchema },
    examples: {
      response: {
        id: 'snap_20261201T031700000Z_k3Jd9a',
        status: 'done',
        kind: 'current',
        asOf: '2026-12-01T03:17:00.000Z',
        computedAt: '2026-12-01T03:17:41.208Z',
        clients: 118250,
        error: null,
      },
    },
    async handle({ auth, db, params }) {
      const run = await getSnapshotRun(db, auth.workspace.id, params.id);
      if (!run)
        throw new ApiError(404, `No snapshot ${JSON.stringify(params.id)} in this workspace`);
      return {
        id: run.id,
        status: run.status,
        kind: run.kind,
        asOf: run.asOf,
        computedAt: run.computedAt,
        clients: run.clients,
        error: run.error,
      };
    },
  }),
];
