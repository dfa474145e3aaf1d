import { EventBatchResultSchema, EventBatchSchema } from '../../schema/events.ts';
import { SECRET } from '../auth.ts';
import { ingestEvents } from '../ingest.ts';
import { route } from '../route.ts';
import { sleepRuleFor } from '../value.ts';

export const eventRoutes = [
  route({
    method: 'POST',
    path: '/v1/events',
    access: SECRET,
    summary:
      'Record 1 to 1000 events atomically; re-sent events are counted as duplicates, not stored twice',
    description:
      'Every event carries your own `id`: an event sent again with the same content is a duplicate (counted, not stored); with other content it is a 409 naming `events.N.id`, and nothing of the batch is stored. An event for an unknown `clientId` creates the client. Events may arrive in any order.',
    body: EventBatchSchema,
    responses: { 200: EventBatchResultSchema },
    errors: {
      409: 'An event id was already stored (or repeated in the batch) with different content; `errors` names each `events.N.id`',
    },
    examples: {
      body: {
        events: [
          {
            id: 'evt-1001',
            clientId: 'acme',
            type: 'response',
            at: '2024-01-03T10:00:00Z',
            channel: 'email',
          },
          {
            id: 'evt-1002',
            clientId: 'acme',
            type: 'purchase',
            at: '2024-02-01',
            amount: 1200,
            margin: 300,
            product: 'Annual plan',
          },
        ],
      },
      response: { accepted: 2, duplicates: 0 },
    },
    async handle({ auth, db, now, body }) {
      const { events } = body;
      const sleepRule = await sleepRuleFor(db, auth.workspace.id, auth.workspace.settings);
      return ingestEvents(db, auth.workspace.id, auth.workspace.settings, events, {
        now,
        sleepRule,
      });
    },
  }),
];
