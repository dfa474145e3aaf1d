import { canSee, managerOf } from '../../core/actions/access.ts';
import { dossierView } from '../../core/actions/dossier.ts';
import { qualifyLead } from '../../core/actions/qualify.ts';
import { QualificationResultSchema } from '../../schema/actions.ts';
import { IdSchema } from '../../schema/common.ts';
import { type DossierBody, DossierBodySchema, DossierSchema } from '../../schema/dossier.ts';
import type { AuthContext } from '../auth.ts';
import { getClient, loadSnapshots } from '../db/clients.ts';
import { getDossier, putDossier } from '../db/dossier.ts';
import { withRetry } from '../db/retry.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';
import { clientNotFound, KEY_ACCOUNT, viewerFor } from './actions.ts';

/** The client, if the caller may see it; otherwise the same 404 as for a client that does not exist. */
async function visibleClient(db: D1Database, auth: AuthContext, id: string) {
  const client = await getClient(db, auth.workspace.id, id);
  if (!client || !canSee(viewerFor(auth), client.id, managerOf(client.attributes)))
    throw clientNotFound(id);
  return client;
}

const exampleBody: DossierBody = {
  decisionMakers: [
    { name: 'Olga Petrova', role: 'CFO', influence: 'decides', attitude: 'supporter' },
  ],
  needs: ['Monthly deliveries without stock-outs'],
  business: 'Regional retail chain, 40 stores, opening 10 more in 2026',
  plans: 'Own logistics centre by 2027',
  competitors: [{ name: 'Nord Supply', activity: 'Offered a 7% discount in January' }],
  history: [{ at: '2024-05-01', text: 'First order' }],
  opportunities: [{ text: 'Supply the new stores', value: 120000 }],
  relationship: [
    { criterion: 'Delivery on time', score: 4 },
    { criterion: 'Price', score: 2, note: 'They think we are 5% dearer' },
  ],
  qualification: {
    need: { met: true },
    abilityToPay: { met: true },
    authority: { met: null, note: 'Board approval above 1M' },
  },
};

export const dossierRoutes = [
  route({
    method: 'GET',
    path: '/v1/clients/:id/dossier',
    access: KEY_ACCOUNT,
    summary:
      "A key client's dossier: decision makers, needs, business and plans, competitors, history, opportunities, relationship score, 3 P",
    description:
      "Readable with a secret key, or with a restricted key (`rk_…`) issued for the client's manager (the client attribute `manager`) or for their supervisor (`actions.supervisors`). For any other restricted key the client does not exist (404), as for a client of another workspace; publishable keys and widget sessions are refused (403). The review falls due `actions.rules.review_dossier.days` (default 90) after `reviewedAt`.",
    params: { id: IdSchema },
    responses: { 200: DossierSchema },
    async handle({ auth, db, now, params }) {
      const client = await visibleClient(db, auth, params.id);
      const stored = await getDossier(db, auth.workspace.id, client.id);
      if (!stored)
        throw new ApiError(
          404,
          `Client ${JSON.stringify(client.id)} has no dossier yet; create it with PUT`,
        );
      return {
        ...dossierView(
          client.id,
          stored,
          now,
          auth.workspace.settings.actions.rules.review_dossier.days,
        ),
        name: client.name,
        currency: auth.workspace.settings.currency,
      };
    },
  }),
  route({
    method: 'PUT',
    path: '/v1/clients/:id/dossier',
    access: KEY_ACCOUNT,
    summary:
      "Create or replace a client's dossier; saving it counts as a review unless reviewedAt says otherwise",
    description:
      'The same keys as for reading it. Fields left out are empty: a PUT replaces the whole dossier. `reviewedAt` defaults to now and may not lie in the future.',
    params: { id: IdSchema },
    body: DossierBodySchema,
    responses: { 200: DossierSchema, 201: DossierSchema },
    examples: { body: exampleBody },
    async handle({ auth, db, now, params, body }) {
      const client = await visibleClient(db, auth, params.id);
      const { reviewedAt = now, ...content } = body;
      if (reviewedAt > now)
        throw new ApiError(400, 'Invalid reviewedAt', {
          errors: [{ path: 'reviewedAt', message: 'must not be in the future' }],
        });
      const existed = (await getDossier(db, auth.workspace.id, client.id)) !== null;
      const stored = await withRetry(() =>
        putDossier(db, auth.workspace.id, client.id, content, reviewedAt, now),
      );
      return json(
        {
          ...dossierView(
            client.id,
            stored,
            now,
            auth.workspace.settings.actions.rules.review_dossier.days,
          ),
          name: client.name,
          currency: auth.workspace.settings.currency,
        },
        { status: existed ? 200 : 201 },
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients/:id/qualification',
    access: { keys: ['secret', 'publishable', 'restricted'] },
    widgetScope: { clientParam: 'id' },
    summary: 'Is the client a lead? Contact data, a wish to buy and a budget (docs/domain.md 3)',
    description:
      'Read from the client attributes named in `actions.leads` (default: `email` or `phone`; `wishToBuy` or a `request` event; `budget`). A qualified inquirer gets a high-priority follow-up on the work list.',
    params: { id: IdSchema },
    responses: { 200: QualificationResultSchema },
    async handle({ auth, db, now, params }) {
      const client = await visibleClient(db, auth, params.id);
      const [snapshot] = await loadSnapshots(db, auth.workspace.id, [client], now);
      const a = snapshot!.aggregates;
      return {
        clientId: client.id,
        name: client.name,
        currency: auth.workspace.settings.currency,
        buyer: a.orders > 0,
        ...qualifyLead(client.attributes, a, auth.workspace.settings.actions.leads),
      };
    },
  }),
];
