import { router } from './router.ts';
import { scheduled } from './scheduled.ts';
import { type DeliveryMessage, deliverBatch } from './webhook-delivery.ts';

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => router.fetch(request, env, ctx),
  scheduled,
  queue: (batch: MessageBatch<DeliveryMessage>, env: Env, _ctx: ExecutionContext) =>
    deliverBatch(batch, env),
} satisfies ExportedHandler<Env, DeliveryMessage>;
