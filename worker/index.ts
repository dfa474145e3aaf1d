import { router } from './router.ts';
import { scheduled } from './scheduled.ts';

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => router.fetch(request, env, ctx),
  scheduled,
} satisfies ExportedHandler<Env>;
