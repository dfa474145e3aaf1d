import { router } from './router.ts';
import { scheduled } from './scheduled.ts';
import { consumeSnapshotBatch } from './snapshots.ts';
import { type DeliveryMessage, deliverBatch, WEBHOOK_QUEUE_NAME } from './webhook-delivery.ts';

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => router.fetch(request, env, ctx),
  scheduled,
  // One consumer for the Worker's two queues: webhook deliveries and the snapshot job's steps.
  queue: (batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext) =>
    batch.queue === WEBHOOK_QUEUE_NAME
      ? deliverBatch(batch as MessageBatch<DeliveryMessage>, env)
      : consumeSnapshotBatch(batch, env),
} satisfies ExportedHandler<Env>;
