import { JobRunListQuerySchema, JobRunPageSchema } from '../../schema/jobs.ts';
import { ADMIN_OR_SECRET } from '../auth.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { listRuns, listWorkspaceRuns } from '../db/jobs.ts';
import { route } from '../route.ts';

/** Cursors of the admin's list belong to no workspace; this stands in for one. */
const ADMIN_SCOPE = 'admin';

export const jobRoutes = [
  route({
    method: 'GET',
    path: '/v1/jobs',
    access: ADMIN_OR_SECRET,
    summary: 'Background job runs, newest first: what each did and what failed',
    description:
      'The nightly run (cron `17 3 * * *`) purges expired records, then refits the CLV model and re-derives the stages of every workspace, each workspace on its own: one that fails (corrupt settings, a database error, more than 5 minutes) is recorded with its id and a message, and the others still run. The hourly `nightly-retry` run takes again the workspaces whose latest part failed, up to 3 times in a row; after that they wait for the next nightly run. ' +
      'With the admin token: every run, with its totals and failures. With a secret key: only this workspace’s part of each run it was in. A run still going (or cut short) has `status: running` and `finishedAt: null`. Keyset-paginated: pass `nextCursor` back as `cursor`.',
    query: JobRunListQuerySchema,
    responses: { 200: JobRunPageSchema },
    examples: {
      response: {
        data: [
          {
            id: 'run_20261201T031700000Z_k3Jd9a',
            job: 'nightly',
            status: 'failed',
            startedAt: '2026-12-01T03:17:00.000Z',
            finishedAt: '2026-12-01T03:18:12.480Z',
            durationMs: 72480,
            workspaces: 42,
            clients: 118250,
            failed: 1,
            failures: [
              {
                workspaceId: 'ws_q1W2e3R4t5Y6',
                step: 'settings',
                message: 'the stored settings are not valid JSON',
              },
            ],
          },
        ],
        nextCursor: null,
      },
    },
    async handle({ env, auth, query }) {
      const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
      const owner = auth?.workspace.id ?? ADMIN_SCOPE;
      const beforeId = query.cursor
        ? await decodeCursor(secret, owner, 'jobs', query.cursor)
        : null;
      const page = auth
        ? await listWorkspaceRuns(env.DB, auth.workspace.id, { beforeId, limit: query.limit })
        : await listRuns(env.DB, { beforeId, limit: query.limit });
      const last = page.runs.at(-1);
      return {
        data: page.runs,
        nextCursor:
          page.hasMore && last ? await encodeCursor(secret, owner, 'jobs', last.id) : null,
      };
    },
  }),
];
