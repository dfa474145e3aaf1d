import * as v from 'valibot';
import { route } from '../route.ts';

export const healthRoutes = [
  route({
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    summary: 'Liveness check',
    responses: { 200: v.object({ ok: v.literal(true) }) },
    examples: { response: { ok: true } },
    handle: () => ({ ok: true }),
  }),
];
