import { router } from './router.ts';
import { scheduled } from './scheduled.ts';
import { consumeSnapshotBatch } from './snapshots.ts';

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => router.fetch(request, env, ctx),
  scheduled,
  queue: (batch: MessageBatch<unknown>, env: Env) => consumeSnapshotBatch(batch, env),
} satisfies ExportedHandler<Env>;
