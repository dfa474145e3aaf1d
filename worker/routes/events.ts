import { EventBatchSchema } from '../../schema/events.ts';
import { SECRET } from '../auth.ts';
import { ingestEvents } from '../ingest.ts';
import { route } from '../route.ts';
import { parseJson } from '../validate.ts';

export const eventRoutes = [
  route({
    method: 'POST',
    path: '/v1/events',
    access: SECRET,
    summary: 'Record 1 to 1000 events atomically; re-sent events are counted as duplicates, not stored twice',
    async handle({ request, env, auth, now }) {
      const { events } = await parseJson(request, EventBatchSchema);
      return ingestEvents(env.DB, auth.workspace.id, auth.workspace.settings, events, { now });
    },
  }),
];
